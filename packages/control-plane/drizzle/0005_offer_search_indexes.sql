DROP INDEX "offers_gpu_idx";--> statement-breakpoint
CREATE INDEX "offers_search_price_idx" ON "offers" USING btree ("price","credential_id","type_id");--> statement-breakpoint
CREATE INDEX "offers_gpu_price_idx" ON "offers" USING btree ("gpu_name","price","credential_id","type_id");--> statement-breakpoint
CREATE INDEX "offers_gpu_price_per_gpu_idx" ON "offers" USING btree ("gpu_name",(CASE WHEN "gpu_count" > 0 THEN round("price" / "gpu_count", 6) ELSE "price" END),"credential_id","type_id");--> statement-breakpoint
CREATE INDEX "offers_gpu_idx" ON "offers" USING btree ("gpu_name","gpu_count","price","credential_id","type_id");