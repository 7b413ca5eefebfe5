// /efa/matrix: which town reuses which EfA solution at which stage. Towns are rows,
// solutions columns; each cell is a link to the solution with the status as text and icon.
// Eight solutions fit beside the towns at 1280 px: a header shows the name before its
// parenthesised long form (the rest is read out and in the tooltip), and words break only
// between words or at a compound's joint, never inside one.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { ExportButtons, PageHeading, QueryState, SelectField, useDistrictScope } from '@/components';
import { useT } from '@/lib/i18n';
import { routes } from '@/lib/routes';
import { efaApi, type MatrixQuery } from './api';
import { AdoptionBadge } from './Badges';
import { useThemenfelder } from './queries';
import { matrixRows, shortSolutionName } from './status';
import { adoptionStatuses, type AdoptionMatrix } from './types';

/**
 * A header name whose suspended hyphens ("Gewerbeanmeldung / -ummeldung") stay with their word: a
 * line may break before "-ummeldung", not after its hyphen.
 */
function HeaderName({ name }: { name: string }) {
  return (
    <>
      {name.split(/(\s+)/).map((part, i) =>
        part.startsWith('-') && part.length > 1 ? (
          <span key={i} className="dn-nowrap">
            {part}
          </span>
        ) : (
          part
        ),
      )}
    </>
  );
}

function MatrixTable({ matrix }: { matrix: AdoptionMatrix }) {
  const t = useT();
  const rows = matrixRows(matrix);
  const totalActive = matrix.towns.reduce((sum, x) => sum + x.active, 0);
  const totalLive = matrix.towns.reduce((sum, x) => sum + x.live, 0);
  const total = (active: number, live: number) => t('efa.matrix.total', { active, live });
  return (
    <div className="dn-matrix-scroll" role="region" aria-labelledby="matrix-caption" tabIndex={0}>
      <table className="kern-table kern-table--small dn-matrix">
        <caption className="kern-title dn-matrix__caption" id="matrix-caption">
          {t('efa.matrix.caption')}
        </caption>
        <thead className="kern-table__header">
          <tr className="kern-table__row">
            <th scope="col" className="kern-table__header dn-matrix__corner">
              {t('field.municipality')}
            </th>
            {matrix.solutions.map((s) => {
              const short = shortSolutionName(s.name);
              return (
                <th key={s.id} scope="col" className="kern-table__header dn-matrix__solution">
                  <Link className="kern-link" to={routes.efaSolution(s.id)} title={short === s.name ? undefined : s.name}>
                    <HeaderName name={short} />
                    {short === s.name ? null : <span className="kern-sr-only">{s.name.slice(short.length)}</span>}
                  </Link>
                </th>
              );
            })}
            <th scope="col" className="kern-table__header dn-matrix__total">
              {t('efa.matrix.rowTotal')}
            </th>
          </tr>
        </thead>
        <tbody className="kern-table__body">
          {rows.map(({ town, cells }) => (
            <tr key={town.id} className="kern-table__row">
              <th scope="row" className="kern-table__cell dn-matrix__town">
                {town.name}
              </th>
              {cells.map((cell, i) => {
                const solution = matrix.solutions[i];
                if (!solution) return null;
                return (
                  <td key={solution.id} className="kern-table__cell dn-matrix__cell">
                    {cell ? (
                      // The name comes from the content: town and solution for screen readers, then
                      // the status as seen, so the visible words are the name's own (WCAG 2.5.3).
                      <Link className="dn-matrix__link" to={routes.efaSolution(solution.id)}>
                        <span className="kern-sr-only">{t('efa.matrix.cellContext', { town: town.name, solution: solution.name })} </span>
                        <AdoptionBadge status={cell.status} srPrefix={false} compact />
                      </Link>
                    ) : (
                      <>
                        <span aria-hidden="true">–</span>
                        <span className="kern-sr-only">{t('efa.matrix.none')}</span>
                      </>
                    )}
                  </td>
                );
              })}
              <td className="kern-table__cell dn-matrix__total">{total(town.active, town.live)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot className="kern-table__footer">
          <tr className="kern-table__row">
            <th scope="row" className="kern-table__cell dn-matrix__town">
              {t('efa.matrix.columnTotal')}
            </th>
            {matrix.solutions.map((s) => (
              <td key={s.id} className="kern-table__cell dn-matrix__total">
                {total(s.active, s.live)}
              </td>
            ))}
            <td className="kern-table__cell dn-matrix__total">{total(totalActive, totalLive)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function Legend() {
  const t = useT();
  return (
    <section aria-labelledby="matrix-legend">
      <h2 className="kern-heading-small" id="matrix-legend">
        {t('efa.matrix.legend')}
      </h2>
      <ul className="dn-legend">
        {adoptionStatuses.map((s) => (
          <li key={s}>
            <AdoptionBadge status={s} srPrefix={false} />
          </li>
        ))}
        <li>
          <span className="kern-body">– {t('efa.matrix.none')}</span>
        </li>
      </ul>
    </section>
  );
}

export function MatrixPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const themenfeld = /^\d+$/.test(params.get('themenfeld_id') ?? '') ? (params.get('themenfeld_id') ?? '') : '';
  const scope = useDistrictScope();
  const query: MatrixQuery = {
    ...(scope.districtId ? { district_id: scope.districtId } : {}),
    ...(themenfeld ? { themenfeld_id: Number(themenfeld) } : {}),
  };
  const themenfelder = useThemenfelder();
  const matrix = useQuery({
    queryKey: ['efa', 'matrix', scope.districtId ?? null, themenfeld],
    queryFn: () => efaApi.matrix(query),
    placeholderData: keepPreviousData,
    enabled: !!scope.districtId,
  });
  return (
    <div className="kern-stack-lg">
      <PageHeading>{t('efa.matrix.title')}</PageHeading>
      <p className="kern-body">{t('efa.matrix.intro')}</p>
      {scope.picker}
      <div className="dn-filters">
        <SelectField
          label={t('efa.field.themenfeld')}
          value={themenfeld}
          options={[
            { value: '', label: t('filter.all') },
            ...(themenfelder.data?.items ?? []).map((x) => ({ value: String(x.id), label: x.name })),
          ]}
          onChange={(e) => setParams(e.target.value ? { themenfeld_id: e.target.value } : {})}
        />
      </div>
      <ExportButtons
        baseName="nachnutzungsmatrix"
        csv={() => efaApi.matrixCsv(query)}
        xlsx={() => efaApi.matrixXlsx(query)}
      />
      <QueryState
        query={matrix}
        isEmpty={(m) => m.towns.length === 0 || m.solutions.length === 0}
        empty={<p className="kern-body">{t('efa.matrix.empty')}</p>}
      >
        {(m) => (
          <>
            <MatrixTable matrix={m} />
            <Legend />
          </>
        )}
      </QueryState>
    </div>
  );
}
