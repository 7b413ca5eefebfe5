// The "Anhänge" section of the project page: the shared file list and upload with the project's calls.
import { AttachmentsPanel, type AttachmentSource } from '@/components';
import { useT } from '@/lib/i18n';
import { projectsApi } from './api';
import { projectKeys } from './queries';
import { Section } from './sections';
import type { Project } from './types';

export function projectAttachmentSource(projectId: string): AttachmentSource {
  return {
    queryKey: projectKeys.part(projectId, 'attachments'),
    list: () => projectsApi.attachments(projectId),
    upload: (file, fields) => projectsApi.uploadAttachment(projectId, file, fields.update_id),
    download: (attachmentId) => projectsApi.downloadAttachment(projectId, attachmentId),
    remove: (attachmentId) => projectsApi.deleteAttachment(projectId, attachmentId),
  };
}

export function Attachments({ project }: { project: Project }) {
  const t = useT();
  return (
    <Section id="attachments" title={t('projects.attachments.title')}>
      <AttachmentsPanel
        source={projectAttachmentSource(project.id)}
        label={t('projects.attachments.title')}
        emptyText={t('projects.attachments.none')}
        canUpload={project.can_edit}
        canDelete={() => project.can_edit}
      />
    </Section>
  );
}
