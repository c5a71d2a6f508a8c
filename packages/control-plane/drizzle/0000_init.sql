CREATE TABLE "api_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "catalog_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"sync_id" bigint NOT NULL,
	"credential_id" text NOT NULL,
	"type_id" text NOT NULL,
	"kind" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"id" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"name" text NOT NULL,
	"sealed" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sync_state" text DEFAULT 'pending' NOT NULL,
	"sync_reason" text,
	"last_sync_at" timestamp with time zone,
	"last_good_sync_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"credential_id" text NOT NULL,
	"type_id" text NOT NULL,
	"provider" text NOT NULL,
	"cloud" text NOT NULL,
	"location" text NOT NULL,
	"type" text NOT NULL,
	"gpu_name" text,
	"gpu_count" integer NOT NULL,
	"gpu_memory_gib" integer,
	"gpu_form_factor" text,
	"vcpu" integer NOT NULL,
	"memory_gib" numeric(12, 3) NOT NULL,
	"price" numeric(14, 6) NOT NULL,
	"currency" text NOT NULL,
	"available" boolean NOT NULL,
	"record" jsonb NOT NULL,
	"fingerprint" text NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"gone_at" timestamp with time zone,
	CONSTRAINT "offers_credential_id_type_id_pk" PRIMARY KEY("credential_id","type_id")
);
--> statement-breakpoint
CREATE TABLE "syncs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"credential_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"fetched" integer DEFAULT 0 NOT NULL,
	"added" integer DEFAULT 0 NOT NULL,
	"removed" integer DEFAULT 0 NOT NULL,
	"price_changed" integer DEFAULT 0 NOT NULL,
	"availability_changed" integer DEFAULT 0 NOT NULL,
	"other_changed" integer DEFAULT 0 NOT NULL,
	"rows_written" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "catalog_changes" ADD CONSTRAINT "catalog_changes_sync_id_syncs_id_fk" FOREIGN KEY ("sync_id") REFERENCES "public"."syncs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "catalog_changes" ADD CONSTRAINT "catalog_changes_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "syncs" ADD CONSTRAINT "syncs_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_hash_key" ON "api_tokens" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "catalog_changes_credential_idx" ON "catalog_changes" USING btree ("credential_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "credentials_name_key" ON "credentials" USING btree ("name");--> statement-breakpoint
CREATE INDEX "offers_price_idx" ON "offers" USING btree ("currency","price","credential_id","type_id");--> statement-breakpoint
CREATE INDEX "offers_gpu_idx" ON "offers" USING btree ("gpu_name","gpu_count");--> statement-breakpoint
CREATE INDEX "syncs_credential_idx" ON "syncs" USING btree ("credential_id","id");