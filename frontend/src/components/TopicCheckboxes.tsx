// A checkbox per topic of the shared topic list (programme editor, notification settings).
import { problemMessage } from '@/lib/api';
import { useT } from '@/lib/i18n';
import { toggleTopic, useTopics } from '@/lib/topics';
import { CheckboxField, Fieldset } from './Field';

interface TopicCheckboxesProps {
  legend: string;
  hint?: string;
  error?: string;
  selected: readonly string[];
  onChange: (topics: string[]) => void;
}

export function TopicCheckboxes({ legend, hint, error, selected, onChange }: TopicCheckboxesProps) {
  const t = useT();
  const topics = useTopics();
  return (
    <Fieldset legend={legend} hint={hint} error={error}>
      {(topics.data?.items ?? []).map((topic) => (
        <CheckboxField
          key={topic.id}
          label={topic.name}
          name="topics"
          value={topic.id}
          checked={selected.includes(topic.id)}
          onChange={(e) => onChange(toggleTopic(selected, topic.id, e.target.checked))}
        />
      ))}
      {topics.isError ? <p className="kern-body">{problemMessage(t, topics.error)}</p> : null}
    </Fieldset>
  );
}
