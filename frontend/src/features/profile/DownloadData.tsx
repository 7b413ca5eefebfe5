// "Meine Daten herunterladen": GET /me/data saved as a JSON file.
import { useMutation } from '@tanstack/react-query';
import { Alert } from '@/components';
import { api, call, problemMessage } from '@/lib/api';
import { useT } from '@/lib/i18n';

function saveFile(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function DownloadData() {
  const t = useT();
  const download = useMutation({
    mutationFn: () => call(() => api.GET('/api/v1/me/data', { parseAs: 'blob' })),
    onSuccess: (blob) => {
      const day = new Date().toISOString().slice(0, 10);
      saveFile(new Blob([blob], { type: 'application/json' }), `digitalnetzwerk-meine-daten-${day}.json`);
    },
  });
  return (
    <section className="kern-stack" aria-labelledby="profile-export">
      <h2 className="kern-heading-medium" id="profile-export">
        {t('profile.export')}
      </h2>
      <p className="kern-body">{t('profile.exportIntro')}</p>
      {download.isError ? <Alert variant="danger" title={problemMessage(t, download.error)} /> : null}
      <div className="kern-btn-wrapper">
        <button
          type="button"
          className="kern-btn kern-btn--secondary"
          disabled={download.isPending}
          onClick={() => download.mutate()}
        >
          <span className="kern-icon kern-icon--download" aria-hidden="true" />
          <span className="kern-label">{t('profile.exportButton')}</span>
        </button>
      </div>
    </section>
  );
}
