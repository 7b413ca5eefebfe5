DROP TABLE sso_logout_jtis;
DROP INDEX sessions_sso_subject;
DROP INDEX sessions_sso_sid;
ALTER TABLE sessions DROP COLUMN sso_subject;
ALTER TABLE sessions DROP COLUMN sso_sid;
ALTER TABLE sessions DROP COLUMN sso_provider;
DROP TABLE sso_login_attempts;
DROP TABLE sso_identities;
