// Downloads one of the server's CSV views (Excel-de: semicolon, BOM) under a dated name.
import { useMutation } from '@tanstack/react-query';
import { Alert } from '@/components';
import { problemMessage } from '@/lib/api';
import { saveBlob } from '@/lib/download';
import { useT } from '@/lib/i18n';

interface Props {
  /** File name without extension; the date of the day is appended. */
  baseName: string;
  /** What the file holds, for the button's accessible name ("CSV herunterladen: Heatmap"). */
  item: string;
  fetch: () => Promise<Blob>;
}

export function CsvButton({ baseName, item, fetch }: Props) {
  const t = useT();
  const download = useMutation({
    mutationFn: fetch,
    onSuccess: (blob) => saveBlob(new Blob([blob], { type: 'text/csv' }), `${baseName}-${new Date().toISOString().slice(0, 10)}.csv`),
  });
  return (
    <>
      <button type="button" className="kern-btn kern-btn--tertiary kern-btn--x-small" disabled={download.isPending} onClick={() => download.mutate()}>
        <span className="kern-icon kern-icon--download" aria-hidden="true" />
        <span className="kern-label">{t('action.forItem', { action: t('usage.csv'), item })}</span>
      </button>
      {download.isError ? <Alert variant="danger" title={problemMessage(t, download.error)} /> : null}
    </>
  );
}
