// Create a town in the district; validation errors are shown per field.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Alert, SelectField, TextField } from '@/components';
import { api, ApiError, call, problemMessage, type Schemas } from '@/lib/api';
import { useT } from '@/lib/i18n';

type Kind = Schemas['Municipality']['kind'];
const kinds: Kind[] = ['town', 'municipality', 'district_administration'];

export function CreateTownForm({ districtId }: { districtId: string }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [ags, setAgs] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('town');
  const [local, setLocal] = useState<Record<string, string>>({});

  const create = useMutation({
    mutationFn: () =>
      call(() =>
        api.POST('/api/v1/municipalities', {
          body: { district_id: districtId, ags: ags.trim(), name: name.trim(), kind },
        }),
      ),
    onSuccess: async () => {
      setAgs('');
      setName('');
      setKind('town');
      await queryClient.invalidateQueries({ queryKey: ['municipalities'] });
    },
  });
  const err = create.error;
  const server = err instanceof ApiError ? err.fieldErrors : {};
  const fields = { ...server, ...local };
  let general: string | null = null;
  if (err instanceof ApiError && err.kind === 'conflict') general = t('towns.conflict');
  else if (err && Object.keys(server).length === 0) general = problemMessage(t, err);

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (!/^\d{8}$/.test(ags.trim())) errors.ags = t('towns.agsInvalid');
    if (!name.trim()) errors.name = t('validation.required');
    setLocal(errors);
    if (Object.keys(errors).length === 0) create.mutate();
  };

  return (
    <section className="kern-stack" aria-labelledby="town-create">
      <h2 className="kern-heading-medium" id="town-create">
        {t('towns.create')}
      </h2>
      {create.isSuccess ? <Alert variant="success" title={t('towns.created')} /> : null}
      {general ? <Alert variant="danger" title={general} /> : null}
      <form className="kern-stack" noValidate onSubmit={submit}>
        <TextField
          label={t('field.ags')}
          hint={t('towns.agsHint')}
          name="ags"
          inputMode="numeric"
          value={ags}
          error={fields.ags}
          onChange={(e) => setAgs(e.target.value)}
        />
        <TextField label={t('field.name')} name="name" value={name} error={fields.name} onChange={(e) => setName(e.target.value)} />
        <SelectField
          label={t('field.kind')}
          name="kind"
          value={kind}
          error={fields.kind}
          options={kinds.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
          onChange={(e) => setKind(e.target.value as Kind)}
        />
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--primary" disabled={create.isPending}>
            <span className="kern-icon kern-icon--add" aria-hidden="true" />
            <span className="kern-label">{t('towns.createSubmit')}</span>
          </button>
        </div>
      </form>
    </section>
  );
}
