-- What nodes keep in memory (the catalog view, verified tokens) follows these tables. Each
-- statement that writes one of them notifies `cloudplane_store` when its transaction commits
-- (PostgreSQL sends one notification per channel and payload per transaction). Embedded PGlite
-- delivers it before the writing call returns, so the node's memory is marked stale before
-- anyone can ask. Token writes that only record use (last_used_at) do not notify.
CREATE OR REPLACE FUNCTION cloudplane_store_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('cloudplane_store', TG_TABLE_NAME);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER offers_store_changed AFTER INSERT OR UPDATE OR DELETE ON offers
  FOR EACH STATEMENT EXECUTE FUNCTION cloudplane_store_changed();
--> statement-breakpoint
CREATE TRIGGER credentials_store_changed AFTER INSERT OR DELETE ON credentials
  FOR EACH STATEMENT EXECUTE FUNCTION cloudplane_store_changed();
--> statement-breakpoint
CREATE TRIGGER capacity_marks_store_changed AFTER INSERT OR UPDATE OR DELETE ON capacity_marks
  FOR EACH STATEMENT EXECUTE FUNCTION cloudplane_store_changed();
--> statement-breakpoint
CREATE TRIGGER api_tokens_store_changed AFTER INSERT OR DELETE OR UPDATE OF revoked_at, hash, user_id ON api_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION cloudplane_store_changed();
--> statement-breakpoint
CREATE TRIGGER users_store_changed AFTER INSERT OR UPDATE OR DELETE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION cloudplane_store_changed();
