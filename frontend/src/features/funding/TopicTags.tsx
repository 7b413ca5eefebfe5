// A programme's topics as tags (names from GET /topics); nothing when it has none.
import { useT } from '@/lib/i18n';
import { topicNames, useTopics } from '@/lib/topics';

export function TopicTags({ ids }: { ids: readonly string[] }) {
  const t = useT();
  const topics = useTopics();
  const names = topicNames(ids, topics.data?.items ?? []);
  if (!names.length) return null;
  return (
    <ul className="dn-chip-list" aria-label={t('funding.field.topics')}>
      {names.map((name) => (
        <li key={name}>
          <span className="kern-badge kern-badge--info">
            <span className="kern-label kern-label--small">{name}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
