// The two downloads of a list: CSV for other systems, an Excel workbook (XLSX) for
// people, where keys such as the AGS stay text and amounts and dates are numbers.
import { useMutation } from '@tanstack/react-query';
import { problemMessage } from '@/lib/api';
import { saveBlob } from '@/lib/download';
import { useI18n } from '@/lib/i18n';
import { Alert } from './Alert';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ExportButtonsProps {
  /** File name without extension; the date of the day is appended. */
  baseName: string;
  csv: () => Promise<Blob>;
  xlsx: () => Promise<Blob>;
}

export function ExportButtons({ baseName, csv, xlsx }: ExportButtonsProps) {
  const { t } = useI18n();
  const name = (ext: string) => `${baseName}-${new Date().toISOString().slice(0, 10)}.${ext}`;
  const csvDownload = useMutation({
    mutationFn: csv,
    onSuccess: (blob) => saveBlob(new Blob([blob], { type: 'text/csv' }), name('csv')),
  });
  const xlsxDownload = useMutation({
    mutationFn: xlsx,
    onSuccess: (blob) => saveBlob(new Blob([blob], { type: XLSX_TYPE }), name('xlsx')),
  });
  const failed = csvDownload.error ?? xlsxDownload.error;
  return (
    <>
      <div className="kern-btn-wrapper dn-actions">
        <button
          type="button"
          className="kern-btn kern-btn--secondary"
          disabled={xlsxDownload.isPending}
          onClick={() => xlsxDownload.mutate()}
        >
          <span className="kern-icon kern-icon--download" aria-hidden="true" />
          <span className="kern-label">{t('export.xlsx')}</span>
        </button>
        <button
          type="button"
          className="kern-btn kern-btn--secondary"
          disabled={csvDownload.isPending}
          onClick={() => csvDownload.mutate()}
        >
          <span className="kern-icon kern-icon--download" aria-hidden="true" />
          <span className="kern-label">{t('export.csv')}</span>
        </button>
      </div>
      {failed ? <Alert variant="danger" title={problemMessage(t, failed)} /> : null}
    </>
  );
}
