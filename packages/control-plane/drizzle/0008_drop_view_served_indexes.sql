DROP INDEX IF EXISTS "offers_price_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "offers_gpu_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "offers_price_per_gpu_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "offers_gpu_price_per_gpu_idx";