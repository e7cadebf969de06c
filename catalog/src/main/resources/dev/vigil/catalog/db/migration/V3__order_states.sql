-- Order states and idempotency (docs/orders.md). Portable SQL: H2 2.x and PostgreSQL 14+.
-- payment_key: the Idempotency-Key sent to the payment provider, a UUID per order attempt (globally
--   unique: an id that repeats across databases could match someone else's payment).
-- payment_id: the provider's payment once captured (or refunded).
-- client_key, request_hash: the client's Idempotency-Key on POST /api/orders and the SHA-256 of the
--   request it came with, so a retry answers the first order and a reused key with another body is refused.
-- updated_at_ms: when the status last changed (epoch milliseconds, the catalog's clock), for the reconciler.
ALTER TABLE orders ADD COLUMN payment_key VARCHAR(64);
ALTER TABLE orders ADD COLUMN payment_id VARCHAR(64);
ALTER TABLE orders ADD COLUMN client_key VARCHAR(128);
ALTER TABLE orders ADD COLUMN request_hash VARCHAR(64);
ALTER TABLE orders ADD COLUMN updated_at_ms BIGINT DEFAULT 0 NOT NULL;
-- Orders placed before this version were paid under the key order-<id>.
UPDATE orders SET payment_key = 'order-' || CAST(id AS VARCHAR(20)) WHERE payment_key IS NULL;
CREATE UNIQUE INDEX orders_by_payment_key ON orders (payment_key);
CREATE UNIQUE INDEX orders_by_client_key ON orders (client_key);
CREATE INDEX orders_by_status ON orders (status, updated_at_ms);
