-- kpi_summary: one row per Gold run. Money totals come from the order lines (the grain the
-- PostgreSQL oracle sums), order figures from the orders (baskets).
-- median_basket is the exact interpolated median (percentile_cont semantics) in DECIMAL:
-- pos = 0.5 * (n - 1), v[floor(pos)] + (pos - floor(pos)) * (v[ceil(pos)] - v[floor(pos)]).
WITH line_totals AS (
  SELECT CAST(COALESCE(SUM(net_amount), 0) AS DECIMAL(30,8))      AS net_revenue,
         CAST(COALESCE(SUM(gross_amount), 0) AS DECIMAL(30,8))    AS gross_revenue,
         CAST(COALESCE(SUM(discount_amount), 0) AS DECIMAL(30,8)) AS total_discount,
         COUNT(*)                                                  AS order_lines,
         COUNT(DISTINCT product_id)                                AS active_products
  FROM line_base
),
order_totals AS (
  SELECT COUNT(*)                    AS orders,
         COUNT(DISTINCT customer_id) AS customers_with_orders,
         MIN(order_date)             AS first_order_date,
         MAX(order_date)             AS last_order_date,
         COUNT_IF(source = 'stream') AS stream_orders,
         CAST(COALESCE(SUM(CASE WHEN source = 'stream' THEN net_amount END), 0) AS DECIMAL(30,8)) AS stream_net_revenue
  FROM order_base
),
without_orders AS (
  SELECT COUNT(*) AS customers_without_orders
  FROM customer c
  LEFT ANTI JOIN order_base o ON o.customer_id = c.customer_id
),
ranked AS (
  SELECT CAST(net_amount AS DECIMAL(30,8)) AS v,
         ROW_NUMBER() OVER (ORDER BY net_amount) - 1 AS i
  FROM order_base
),
median_position AS (
  SELECT 0.5 * (orders - 1) AS pos FROM order_totals WHERE orders > 0
),
median AS (
  SELECT CAST(
           MAX(CASE WHEN r.i = FLOOR(p.pos) THEN r.v END)
           + CAST(MAX(p.pos - FLOOR(p.pos)) AS DECIMAL(3,2))
             * (MAX(CASE WHEN r.i = CEIL(p.pos) THEN r.v END) - MAX(CASE WHEN r.i = FLOOR(p.pos) THEN r.v END))
         AS DECIMAL(38,10)) AS median_basket
  FROM ranked r
  CROSS JOIN median_position p
  WHERE r.i = FLOOR(p.pos) OR r.i = CEIL(p.pos)
)
SELECT CAST(:run_id AS STRING)                AS run_id,
       CURRENT_TIMESTAMP()                    AS computed_at,
       CAST(:silver_version AS STRING)        AS silver_version,
       l.net_revenue,
       l.gross_revenue,
       l.total_discount,
       o.orders,
       l.order_lines,
       o.customers_with_orders,
       w.customers_without_orders,
       l.active_products,
       -- DECIMAL(38,8) / BIGINT keeps scale 8: one HALF_UP rounding, none before.
       CAST(CAST(l.net_revenue AS DECIMAL(38,8)) / NULLIF(o.orders, 0) AS DECIMAL(30,8)) AS avg_basket,
       m.median_basket,
       o.first_order_date,
       o.last_order_date,
       o.stream_orders,
       o.stream_net_revenue,
       CAST(o.stream_net_revenue AS DOUBLE) / NULLIF(CAST(l.net_revenue AS DOUBLE), 0) AS stream_share
FROM line_totals l
CROSS JOIN order_totals o
CROSS JOIN without_orders w
CROSS JOIN median m
