// The application form: programme, call, title, lead town, amounts, every town's share
// with live sums and the linked projects; the server's field errors are shown next to the inputs.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Alert, ErrorSummary, Fieldset, SelectField, summaryErrors, TextAreaField, TextField } from '@/components';
import { ApiError, problemMessage } from '@/lib/api';
import { useMe } from '@/lib/auth';
import { useI18n } from '@/lib/i18n';
import { centsToEuroInput, formatEuro, parseEuroToCents } from '@/lib/money';
import { fundingApi } from './api';
import { shareSumText } from './logic';
import { landName, landOf, programmeFit, programmeOptions } from './programmeChoice';
import { ProjectPicker } from './ProjectPicker';
import { projectIdsBody, projectIdsError, uniqueProjectIds } from './projectLinks';
import { fundingKeys, useDistrictTowns, useProgrammes } from './queries';
import type { ApplicationDetail, ApplicationInput } from './types';

interface PartnerRow {
  municipality_id: string;
  amount: string;
}

export interface FormValues {
  programme_id: string;
  call_id: string;
  title: string;
  lead_municipality_id: string;
  total: string;
  requested: string;
  approved: string;
  lead_share: string;
  partners: PartnerRow[];
  notes: string;
  project_ids: string[];
}

export function valuesFrom(a: ApplicationDetail): FormValues {
  return {
    programme_id: a.programme_id,
    call_id: a.call_id ?? '',
    title: a.title,
    lead_municipality_id: a.lead_municipality_id,
    total: centsToEuroInput(a.total_costs_cents),
    requested: centsToEuroInput(a.requested_cents),
    approved: centsToEuroInput(a.approved_cents),
    lead_share: centsToEuroInput(a.shares.find((s) => s.municipality_id === a.lead_municipality_id)?.share_cents ?? 0),
    partners: a.shares
      .filter((s) => s.municipality_id !== a.lead_municipality_id)
      .map((s) => ({ municipality_id: s.municipality_id, amount: centsToEuroInput(s.share_cents) })),
    notes: a.notes ?? '',
    project_ids: uniqueProjectIds(a.projects.map((p) => p.id)),
  };
}

interface Props {
  initial: FormValues;
  /** Editing an existing application (If-Match with its version), else creating one. */
  existing?: ApplicationDetail;
  /** After the save; the caller announces the confirmation (the form is usually closed or left then). */
  onSaved: (saved: ApplicationDetail) => void | Promise<void>;
  /** "Abbrechen": leave the form; without it the button discards the changes made here. */
  onCancel?: () => void;
}

/** The error keys (server field names) in the order the form shows them. */
const FIELD_ORDER = [
  'programme_id',
  'call_id',
  'title',
  'lead_municipality_id',
  'total_costs_cents',
  'requested_cents',
  'approved_cents',
  'shares',
  'project_ids',
  'notes',
] as const;
const fieldId = (key: string) => `application-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;

export function ApplicationForm({ initial, existing, onSaved, onCancel }: Props) {
  const { t, locale } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const programmes = useProgrammes({ limit: 100 });
  const towns = useDistrictTowns(existing?.district_id ?? me.district?.id);
  const [values, setValues] = useState<FormValues>(initial);
  const [local, setLocal] = useState<Record<string, string>>({});
  /** Counts failed submits: the error summary takes focus after each. */
  const [attempt, setAttempt] = useState(0);
  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const townName = (id: string) => towns.data?.items.find((m) => m.id === id)?.name ?? existing?.shares.find((s) => s.municipality_id === id)?.municipality_name ?? id;
  const programme = programmes.data?.items.find((p) => p.id === values.programme_id);
  // The district key starts with the Land's code: programmes of other Länder and expired ones are marked.
  const ownLand = landOf(me.district?.key);
  const fit = programme ? programmeFit(programme, ownLand) : null;
  const warnings = [
    fit?.otherLand && ownLand ? t('funding.form.programmeWarning.otherLand', { land: fit.otherLand, own: landName(ownLand) }) : null,
    fit?.expired ? t('funding.form.programmeWarning.expired') : null,
  ].filter((w): w is string => w !== null);
  const programmeHint = existing ? t('funding.form.fixedAfterCreate') : warnings.length ? warnings.join(' ') : t('funding.form.programmeOrder');
  const total = parseEuroToCents(values.total);
  const requested = parseEuroToCents(values.requested);
  const shareCents = [parseEuroToCents(values.lead_share), ...values.partners.map((p) => parseEuroToCents(p.amount))];
  const own = total !== null && requested !== null && !Number.isNaN(total) && !Number.isNaN(requested) ? total - requested : null;
  const used = new Set([values.lead_municipality_id, ...values.partners.map((p) => p.municipality_id)]);
  const addable = (towns.data?.items ?? []).filter((m) => !used.has(m.id));
  const [toAdd, setToAdd] = useState('');

  const save = useMutation({
    mutationFn: (body: ApplicationInput) =>
      existing ? fundingApi.updateApplication(existing.id, existing.version, body) : fundingApi.createApplication(body),
    onError: () => setAttempt((a) => a + 1),
    onSuccess: async (result) => {
      queryClient.setQueryData(fundingKeys.application(result.id), result);
      await queryClient.invalidateQueries({ queryKey: fundingKeys.applications });
      await queryClient.invalidateQueries({ queryKey: fundingKeys.overview });
      await onSaved(result);
    },
  });
  const stale = save.error instanceof ApiError && save.error.kind === 'precondition-failed';
  const server = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const errors: Record<string, string | undefined> = { ...server, ...local };

  const setLead = (id: string) =>
    setValues((v) => {
      const partner = v.partners.find((p) => p.municipality_id === id);
      const partners = v.partners.filter((p) => p.municipality_id !== id);
      // The former lead stays in the consortium as a partner with its share.
      if (v.lead_municipality_id && v.lead_municipality_id !== id) partners.unshift({ municipality_id: v.lead_municipality_id, amount: v.lead_share });
      return { ...v, lead_municipality_id: id, lead_share: partner?.amount ?? '', partners };
    });

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    const amount = (key: string, text: string, required: boolean) => {
      const cents = parseEuroToCents(text);
      if (cents === null) {
        if (required) found[key] = t('validation.required');
        return null;
      }
      if (Number.isNaN(cents)) {
        found[key] = t('funding.form.amountInvalid');
        return null;
      }
      return cents;
    };
    if (!values.programme_id) found.programme_id = t('funding.form.programmeMissing');
    if (values.title.trim().length < 3) found.title = t('funding.form.titleShort');
    if (!values.lead_municipality_id) found.lead_municipality_id = t('funding.form.leadMissing');
    const totalCents = amount('total_costs_cents', values.total, true);
    const requestedCents = amount('requested_cents', values.requested, true);
    const approvedCents = existing ? amount('approved_cents', values.approved, false) : null;
    const leadShare = amount(`share:${values.lead_municipality_id}`, values.lead_share, false) ?? 0;
    const partnerShares = values.partners.map((p) => ({ municipality_id: p.municipality_id, share_cents: amount(`share:${p.municipality_id}`, p.amount, false) ?? 0 }));
    setLocal(found);
    if (Object.keys(found).length > 0) {
      setAttempt((a) => a + 1);
      return;
    }
    const body: ApplicationInput = {
      // Programme and lead town are fixed once the application exists (the server refuses them in a change).
      ...(existing ? {} : { programme_id: values.programme_id, lead_municipality_id: values.lead_municipality_id }),
      call_id: values.call_id || null,
      title: values.title.trim(),
      total_costs_cents: totalCents,
      requested_cents: requestedCents,
      shares: [{ municipality_id: values.lead_municipality_id, share_cents: leadShare }, ...partnerShares],
      ...(existing ? { approved_cents: approvedCents } : {}),
      ...(existing && existing.notes == null ? {} : { notes: values.notes }),
      ...projectIdsBody(existing?.projects.map((p) => p.id), values.project_ids),
    };
    save.mutate(body);
  };

  const labelOf = (key: string): string => {
    if (key.startsWith('share:')) return t('funding.form.shareOf', { town: townName(key.slice('share:'.length)) });
    if (key.startsWith('project_ids')) return t('funding.projects.title');
    const labels: Record<string, string> = {
      programme_id: t('funding.field.programme'),
      call_id: t('funding.field.call'),
      title: t('funding.field.title'),
      lead_municipality_id: t('funding.field.lead'),
      total_costs_cents: t('funding.field.totalCosts'),
      requested_cents: t('funding.field.requested'),
      approved_cents: t('funding.field.approved'),
      shares: t('funding.shares.title'),
      notes: t('funding.field.notes'),
    };
    return labels[key] ?? t('funding.form.otherField');
  };
  const shareKeys = [values.lead_municipality_id, ...values.partners.map((p) => p.municipality_id)].map((id) => `share:${id}`);
  // `project_ids[2]` and the like: one entry, linked to the project picker.
  const summaryInput = Object.fromEntries(Object.entries(errors).filter(([k]) => !k.startsWith('project_ids')));
  const summary = summaryErrors<string>(
    { ...summaryInput, project_ids: projectIdsError(errors) },
    [...FIELD_ORDER.slice(0, 7), ...shareKeys, ...FIELD_ORDER.slice(7)],
    fieldId,
    labelOf,
  );
  const cancel = () => {
    if (onCancel) {
      onCancel();
      return;
    }
    setValues(initial);
    setLocal({});
    save.reset();
  };

  const shareInput = (id: string, value: string, onChange: (v: string) => void) => (
    <TextField
      id={fieldId(`share:${id}`)}
      label={t('funding.form.shareOf', { town: townName(id) })}
      inputMode="decimal"
      value={value}
      error={errors[`share:${id}`]}
      onChange={(e) => onChange(e.target.value)}
    />
  );

  return (
    <form className="kern-stack dn-form" noValidate onSubmit={submit} aria-label={existing ? t('funding.form.edit') : t('funding.form.new')}>
      <ErrorSummary errors={summary} attempt={attempt} />
      {stale ? (
        <Alert variant="danger" title={t('funding.stale')}>
          <button
            type="button"
            className="kern-btn kern-btn--secondary"
            onClick={() => {
              save.reset();
              void queryClient.invalidateQueries({ queryKey: fundingKeys.all });
            }}
          >
            <span className="kern-label">{t('funding.reload')}</span>
          </button>
        </Alert>
      ) : null}
      {save.isError && !stale && Object.keys(server).length === 0 ? <Alert variant="danger" title={problemMessage(t, save.error)} /> : null}
      {save.isError && Object.keys(server).length > 0 ? <Alert variant="danger" title={t('funding.form.notSaved')} /> : null}
      <SelectField
        id={fieldId('programme_id')}
        label={t('funding.field.programme')}
        required
        disabled={existing !== undefined}
        hint={programmeHint}
        value={values.programme_id}
        error={errors.programme_id}
        options={[{ value: '', label: t('funding.form.chooseProgramme') }, ...programmeOptions(t, programmes.data?.items ?? [], ownLand)]}
        onChange={(e) => setValues((v) => ({ ...v, programme_id: e.target.value, call_id: '' }))}
      />
      <SelectField
        id={fieldId('call_id')}
        label={t('funding.field.call')}
        value={values.call_id}
        error={errors.call_id}
        options={[{ value: '', label: t('funding.form.noCall') }, ...(programme?.calls ?? []).map((c) => ({ value: c.id, label: c.title }))]}
        onChange={(e) => set('call_id', e.target.value)}
      />
      <TextField id={fieldId('title')} label={t('funding.field.title')} required value={values.title} error={errors.title} onChange={(e) => set('title', e.target.value)} />
      <SelectField
        id={fieldId('lead_municipality_id')}
        label={t('funding.field.lead')}
        required
        disabled={existing !== undefined}
        hint={existing ? t('funding.form.fixedAfterCreate') : undefined}
        value={values.lead_municipality_id}
        error={errors.lead_municipality_id}
        options={[{ value: '', label: t('funding.form.chooseLead') }, ...(towns.data?.items ?? []).map((m) => ({ value: m.id, label: m.name }))]}
        onChange={(e) => setLead(e.target.value)}
      />
      <TextField
        id={fieldId('total_costs_cents')}
        label={t('funding.field.totalCosts')}
        hint={t('funding.form.amountHint')}
        required
        inputMode="decimal"
        value={values.total}
        error={errors.total_costs_cents}
        onChange={(e) => set('total', e.target.value)}
      />
      <TextField
        id={fieldId('requested_cents')}
        label={t('funding.field.requested')}
        hint={programme?.rate_bp != null ? t('funding.form.requestedHint', { max: formatEuro(total && !Number.isNaN(total) ? Math.floor((total * programme.rate_bp) / 10000) : 0, locale) }) : undefined}
        required
        inputMode="decimal"
        value={values.requested}
        error={errors.requested_cents}
        onChange={(e) => set('requested', e.target.value)}
      />
      {existing ? (
        <TextField
          id={fieldId('approved_cents')}
          label={t('funding.field.approved')}
          optional
          inputMode="decimal"
          value={values.approved}
          error={errors.approved_cents}
          onChange={(e) => set('approved', e.target.value)}
        />
      ) : null}
      <p className="kern-body" data-testid="own-contribution" aria-live="polite">
        {t('funding.ownContribution')}: {own === null ? '–' : formatEuro(own, locale)}
      </p>
      <Fieldset id={fieldId('shares')} legend={t('funding.shares.title')} hint={t('funding.shares.hint')} error={errors.shares}>
        <div className="kern-table-responsive">
          <table className="kern-table">
            <caption className="kern-sr-only">{t('funding.shares.title')}</caption>
            <thead className="kern-table__header">
              <tr className="kern-table__row">
                <th scope="col" className="kern-table__header">{t('field.municipality')}</th>
                <th scope="col" className="kern-table__header">{t('funding.shares.role')}</th>
                <th scope="col" className="kern-table__header">{t('funding.shares.amount')}</th>
                <th scope="col" className="kern-table__header">{t('funding.actions')}</th>
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {values.lead_municipality_id ? (
                <tr className="kern-table__row">
                  <th scope="row" className="kern-table__cell">{townName(values.lead_municipality_id)}</th>
                  <td className="kern-table__cell">{t('funding.shares.lead')}</td>
                  <td className="kern-table__cell">{shareInput(values.lead_municipality_id, values.lead_share, (v) => set('lead_share', v))}</td>
                  <td className="kern-table__cell">–</td>
                </tr>
              ) : null}
              {values.partners.map((p, index) => (
                <tr key={p.municipality_id} className="kern-table__row">
                  <th scope="row" className="kern-table__cell">{townName(p.municipality_id)}</th>
                  <td className="kern-table__cell">{t('funding.shares.partner')}</td>
                  <td className="kern-table__cell">
                    {shareInput(p.municipality_id, p.amount, (amount) =>
                      setValues((v) => ({ ...v, partners: v.partners.map((q, i) => (i === index ? { ...q, amount } : q)) })),
                    )}
                  </td>
                  <td className="kern-table__cell">
                    <button
                      type="button"
                      className="kern-btn kern-btn--tertiary kern-btn--x-small"
                      onClick={() => setValues((v) => ({ ...v, partners: v.partners.filter((q) => q.municipality_id !== p.municipality_id) }))}
                    >
                      <span className="kern-label">{t('funding.shares.remove', { town: townName(p.municipality_id) })}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="kern-body" data-testid="share-sum" aria-live="polite">
          {shareSumText(t, locale, shareCents, total)}
        </p>
        {addable.length ? (
          <div className="dn-filters">
            <SelectField
              label={t('funding.shares.addPartner')}
              value={toAdd}
              options={[{ value: '', label: t('funding.shares.choosePartner') }, ...addable.map((m) => ({ value: m.id, label: m.name }))]}
              onChange={(e) => setToAdd(e.target.value)}
            />
            <div className="kern-btn-wrapper">
              <button
                type="button"
                className="kern-btn kern-btn--secondary"
                disabled={!toAdd}
                onClick={() => {
                  setValues((v) => ({ ...v, partners: [...v.partners, { municipality_id: toAdd, amount: '' }] }));
                  setToAdd('');
                }}
              >
                <span className="kern-label">{t('funding.shares.add')}</span>
              </button>
            </div>
          </div>
        ) : null}
      </Fieldset>
      <div id={fieldId('project_ids')}>
        <ProjectPicker
          value={values.project_ids}
          onChange={(ids) => set('project_ids', ids)}
          linked={existing?.projects}
          error={projectIdsError(errors)}
        />
      </div>
      {!existing || existing.notes != null ? (
        <TextAreaField
          id={fieldId('notes')}
          label={t('funding.field.notes')}
          hint={t('funding.form.notesHint')}
          optional
          rows={4}
          value={values.notes}
          error={errors.notes}
          onChange={(e) => set('notes', e.target.value)}
        />
      ) : null}
      <div className="kern-btn-wrapper">
        <button type="submit" className="kern-btn kern-btn--primary" disabled={save.isPending}>
          <span className="kern-label">{existing ? t('funding.form.save') : t('funding.form.create')}</span>
        </button>
        <button type="button" className="kern-btn kern-btn--secondary" onClick={cancel}>
          <span className="kern-label">{t('action.cancel')}</span>
        </button>
      </div>
    </form>
  );
}
