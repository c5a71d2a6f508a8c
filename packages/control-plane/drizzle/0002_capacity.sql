CREATE TABLE "capacity_marks" (
	"credential_id" text NOT NULL,
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"reason" text NOT NULL,
	"until" timestamp with time zone NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "capacity_marks_credential_id_scope_key_pk" PRIMARY KEY("credential_id","scope","key")
);
--> statement-breakpoint
CREATE TABLE "launch_attempts" (
	"ref_id" text PRIMARY KEY NOT NULL,
	"instance_id" text NOT NULL,
	"credential_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"outcome" text,
	"error_code" text,
	"error" text,
	"finished_at" timestamp with time zone,
	"running_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "credentials" ADD COLUMN "orphan_terminate_after_ms" integer;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "requirement" jsonb;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "failovers" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "instances" ADD COLUMN "avoid" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "capacity_marks" ADD CONSTRAINT "capacity_marks_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "launch_attempts" ADD CONSTRAINT "launch_attempts_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "launch_attempts" ADD CONSTRAINT "launch_attempts_credential_id_credentials_id_fk" FOREIGN KEY ("credential_id") REFERENCES "public"."credentials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "launch_attempts_credential_idx" ON "launch_attempts" USING btree ("credential_id","started_at");