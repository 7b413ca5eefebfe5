// Invite someone: email, role (officers may only invite members) and town.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Alert, SelectField, TextField } from '@/components';
import { api, ApiError, call, problemMessage, type Role, type Schemas } from '@/lib/api';
import { can, invitableRoles, useMe } from '@/lib/auth';
import { useI18n } from '@/lib/i18n';

interface Props {
  districtId: string | undefined;
  towns: Schemas['Municipality'][];
}

export function InviteForm({ districtId, towns }: Props) {
  const { t, locale } = useI18n();
  const me = useMe();
  const queryClient = useQueryClient();
  const roles = invitableRoles(me);
  const ownTown = can.worksForDistrict(me) ? null : me.municipality;
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>(roles.includes('member') ? 'member' : (roles[0] ?? 'member'));
  const [townId, setTownId] = useState(ownTown?.id ?? '');
  const [local, setLocal] = useState<Record<string, string>>({});
  const [sentTo, setSentTo] = useState<string | null>(null);

  // Admins and coordinators work at district level; officers and members belong to a town.
  const needsTown = role === 'officer' || role === 'member';

  const invite = useMutation({
    mutationFn: () =>
      call(() =>
        api.POST('/api/v1/invitations', {
          body: {
            email: email.trim(),
            role,
            district_id: role === 'admin' ? null : (districtId ?? null),
            municipality_id: needsTown && townId ? townId : null,
            locale,
          },
        }),
      ),
    onSuccess: async (inv) => {
      setSentTo(inv.email);
      setEmail('');
      await queryClient.invalidateQueries({ queryKey: ['invitations'] });
    },
  });
  const err = invite.error;
  const server = err instanceof ApiError ? err.fieldErrors : {};
  const fields = { ...server, ...local };
  let general: string | null = null;
  if (err instanceof ApiError && err.kind === 'conflict') general = t('invitations.conflict');
  else if (err && Object.keys(server).length === 0) general = problemMessage(t, err);

  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    setSentTo(null);
    const errors: Record<string, string> = {};
    if (!email.trim()) errors.email = t('validation.required');
    if (needsTown && !townId) errors.municipality_id = t('invitations.townMissing');
    setLocal(errors);
    if (Object.keys(errors).length === 0) invite.mutate();
  };

  return (
    <section className="kern-stack" aria-labelledby="invite-form">
      <h2 className="kern-heading-medium" id="invite-form">
        {t('invitations.invite')}
      </h2>
      {sentTo ? <Alert variant="success" title={t('invitations.sent', { email: sentTo })} /> : null}
      {general ? <Alert variant="danger" title={general} /> : null}
      <form className="kern-stack" noValidate onSubmit={submit}>
        <TextField
          label={t('field.email')}
          name="email"
          type="email"
          autoComplete="off"
          value={email}
          error={fields.email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <SelectField
          label={t('field.role')}
          name="role"
          value={role}
          error={fields.role}
          disabled={roles.length <= 1}
          options={roles.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          onChange={(e) => setRole(e.target.value as Role)}
        />
        {needsTown ? (
          <SelectField
            label={t('field.municipality')}
            name="municipality_id"
            value={townId}
            error={fields.municipality_id}
            disabled={Boolean(ownTown)}
            options={
              ownTown
                ? [{ value: ownTown.id, label: ownTown.name }]
                : [
                    { value: '', label: t('invitations.chooseTown') },
                    ...towns.map((m) => ({ value: m.id, label: m.name })),
                  ]
            }
            onChange={(e) => setTownId(e.target.value)}
          />
        ) : null}
        <div className="kern-btn-wrapper">
          <button type="submit" className="kern-btn kern-btn--primary" disabled={invite.isPending}>
            <span className="kern-icon kern-icon--mail" aria-hidden="true" />
            <span className="kern-label">{t('invitations.submit')}</span>
          </button>
        </div>
      </form>
    </section>
  );
}
