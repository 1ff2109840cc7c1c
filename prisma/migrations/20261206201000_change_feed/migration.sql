-- The change feed (gateway/runtime/change-feed.ts): every write that can make a cached
-- read stale notifies channel `zhengyin_changes` with the key it touches, from whichever
-- process or tool writes it. PostgreSQL delivers the notification after COMMIT, in commit
-- order, to every gateway that LISTENs, so their read caches stay coherent across instances.
-- Payloads: `licence:<identifier>`, `token:<id>`, `licence:*` (every licence).

CREATE FUNCTION zhengyin_notify_licence() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('zhengyin_changes', 'licence:' || OLD.identifier);
  END IF;
  -- A new version changes the one it supersedes (its successor link).
  IF TG_OP <> 'DELETE' AND NEW.supersedes_id IS NOT NULL THEN
    PERFORM pg_notify('zhengyin_changes', 'licence:' || l.identifier) FROM licence l WHERE l.id = NEW.supersedes_id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER licence_changes AFTER INSERT OR UPDATE OR DELETE ON licence
  FOR EACH ROW EXECUTE FUNCTION zhengyin_notify_licence();

CREATE FUNCTION zhengyin_notify_licence_renewal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('zhengyin_changes', 'licence:' || l.identifier) FROM licence l WHERE l.id = OLD.licence_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM pg_notify('zhengyin_changes', 'licence:' || l.identifier) FROM licence l WHERE l.id = NEW.licence_id;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER licence_renewal_changes AFTER INSERT OR UPDATE OR DELETE ON licence_renewal
  FOR EACH ROW EXECUTE FUNCTION zhengyin_notify_licence_renewal();

-- A department's or a type's name is shown with each of its licences.
CREATE FUNCTION zhengyin_notify_all_licences() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('zhengyin_changes', 'licence:*');
  RETURN NULL;
END $$;

CREATE TRIGGER department_changes AFTER UPDATE OR DELETE ON department
  FOR EACH STATEMENT EXECUTE FUNCTION zhengyin_notify_all_licences();
CREATE TRIGGER licence_type_changes AFTER UPDATE OR DELETE ON licence_type
  FOR EACH STATEMENT EXECUTE FUNCTION zhengyin_notify_all_licences();

-- Revoking or re-dating a token; its last-use stamp (written once a minute) is no news.
CREATE FUNCTION zhengyin_notify_api_token() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
     OR OLD.secret_sha256 IS DISTINCT FROM NEW.secret_sha256 OR OLD.role IS DISTINCT FROM NEW.role OR OLD.department_id IS DISTINCT FROM NEW.department_id THEN
    PERFORM pg_notify('zhengyin_changes', 'token:' || OLD.id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER api_token_changes AFTER UPDATE OR DELETE ON api_token
  FOR EACH ROW EXECUTE FUNCTION zhengyin_notify_api_token();
