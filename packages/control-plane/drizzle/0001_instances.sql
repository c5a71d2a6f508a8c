CREATE TABLE "instance_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"instance_id" text NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"from_state" text,
	"to_state" text,
	"message" text NOT NULL,
	"data" jsonb,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "instances" (
	"id" text PRIMARY KEY NOT NULL,
	"ref_id" text NOT NULL,
	"user_id" text NOT NULL,
	"credential_id" text,
	"provider" text NOT NULL,
	"name" text NOT NULL,
	"type_id" text NOT NULL,
	"location" text NOT NULL,
	"sub_location" text,
	"instance_type" text NOT NULL,
	"gpu_name" text,
	"gpu_count" integer NOT NULL,
	"gpu_memory_gib" integer,
	"price" numeric(14, 6),
	"currency" text,
	"ssh_key_ids" jsonb NOT NULL,
	"tags" jsonb NOT NULL,
	"intent" jsonb,
	"idempotency_key" text,
	"request_hash" text,
	"state" text NOT NULL,
	"native_status" text,
	"status_message" text,
	"pending_action" text,
	"action_requested_at" timestamp with time zone,
	"last_error_code" text,
	"last_error" text,
	"cloud_id" text,
	"public_ip" text,
	"private_ip" text,
	"hostname" text,
	"ssh_user" text,
	"ssh_port" integer,
	"stoppable" boolean DEFAULT true NOT NULL,
	"rebootable" boolean DEFAULT true NOT NULL,
	"create_attempts" integer DEFAULT 0 NOT NULL,
	"create_sent_at" timestamp with time zone,
	"launched_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"terminated_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "orphans" (
	"id" text PRIMARY KEY NOT NULL,
	"credential_id" text NOT NULL,
	"cloud_id" text NOT NULL,
	"ref_id" text NOT NULL,
	"record" jsonb NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ssh_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"bits" integer NOT NULL,
	"fingerprint" text NOT NULL,
	"public_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "user_id" text;--> statement-breakpoint
-- Tokens from before users existed were all admin tokens: they now belong to a first admin.
INSERT INTO "users" ("id", "name", "role") SELECT gen_random_uuid()::text, 'admin', 'admin' WHERE EXISTS (SELECT 1 FROM "api_tokens");--> statement-breakpoint
UPDATE "api_tokens" SET "user_id" = (SELECT "id" FROM "users" WHERE "name" = 'admin');--> statement-breakpoint
ALTER TABLE "api_tokens" ALTER COLUMN "user_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "credentials" ADD COLUMN "instances_sync_error" text;--> statement-breakpoint
ALTER TABLE "instance_events" ADD CONSTRAINT "instance_events_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instances" ADD CONSTRAINT "instances_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instances" ADD CONSTRAINT "instances_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orphans" ADD CONSTRAINT "orphans_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ssh_keys" ADD CONSTRAINT "ssh_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "instance_events_instance_idx" ON "instance_events" USING btree ("instance_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "instances_ref_id_key" ON "instances" USING btree ("ref_id");--> statement-breakpoint
CREATE UNIQUE INDEX "instances_idempotency_key" ON "instances" USING btree ("user_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "instances_live_name_key" ON "instances" USING btree ("user_id","name") WHERE "instances"."terminated_at" IS NULL AND "instances"."state" <> 'failed';--> statement-breakpoint
CREATE INDEX "instances_credential_idx" ON "instances" USING btree ("credential_id","terminated_at");--> statement-breakpoint
CREATE INDEX "instances_user_idx" ON "instances" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "instances_create_sent_idx" ON "instances" USING btree ("credential_id","create_sent_at");--> statement-breakpoint
CREATE UNIQUE INDEX "orphans_cloud_key" ON "orphans" USING btree ("credential_id","cloud_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ssh_keys_user_name_key" ON "ssh_keys" USING btree ("user_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "ssh_keys_user_fingerprint_key" ON "ssh_keys" USING btree ("user_id","fingerprint");--> statement-breakpoint
CREATE UNIQUE INDEX "users_name_key" ON "users" USING btree ("name");--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;