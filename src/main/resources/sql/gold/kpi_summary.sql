-- kpi_summary: one row per Gold run (the job puts run_id, computed_at and silver_version in
-- front). Money totals come from the order lines (the grain the PostgreSQL oracle sums), read
-- from fact_order_line itself: they need no product, so a refresh whose line-grain tables take only
-- the new orders (GoldDatasets.ADDITIVE) never builds line_base. Order figures come from the
-- orders (baskets).
-- median_basket is the exact interpolated median (percentile_cont semantics) in DECIMAL:
-- pos = 0.5 * (n - 1), v[floor(pos)] + (pos - floor(pos)) * (v[ceil(pos)] - v[floor(pos)]).
WITH line_totals AS (
  SELECT CAST(COALESCE(SUM(net_amount), 0) AS DECIMAL(30,8))      AS net_revenue,
         CAST(COALESCE(SUM(gross_amount), 0) AS DECIMAL(30,8))    AS gross_revenue,
         CAST(COALESCE(SUM(discount_amount), 0) AS DECIMAL(30,8)) AS total_discount,
         COUNT(*)                                                  AS order_lines,
         COUNT(DISTINCT product_id)                                AS active_products
  FROM fact_order_line
),
order_totals AS (
  SELECT COUNT(*)                    AS orders,
         MIN(order_date)             AS first_order_date,
         MAX(order_date)             AS last_order_date,
         COUNT_IF(source = 'stream') AS stream_orders,
         CAST(COALESCE(SUM(CASE WHEN source = 'stream' THEN net_amount END), 0) AS DECIMAL(30,8)) AS stream_net_revenue
  FROM order_base
),
-- rfm_metric has one row per customer with an order (cached for the RFM tables): counting and
-- anti-joining it replaces a distinct count and an anti join over every order.
with_orders AS (
  SELECT COUNT(*) AS customers_with_orders FROM rfm_metric
),
without_orders AS (
  SELECT COUNT(*) AS customers_without_orders
  FROM customer c
  LEFT ANTI JOIN rfm_metric m ON m.customer_id = c.customer_id
),
ranked AS (
  SELECT CAST(net_amount AS DECIMAL(30,8)) AS v,
         ROW_NUMBER() OVER (ORDER BY net_amount) - 1 AS i,
         0.5 * (COUNT(*) OVER () - 1) AS pos
  FROM order_base
),
median AS (
  SELECT CAST(
           MAX(CASE WHEN i = FLOOR(pos) THEN v END)
           + CAST(MAX(pos - FLOOR(pos)) AS DECIMAL(3,2))
             * (MAX(CASE WHEN i = CEIL(pos) THEN v END) - MAX(CASE WHEN i = FLOOR(pos) THEN v END))
         AS DECIMAL(38,10)) AS median_basket
  FROM ranked
  WHERE i = FLOOR(pos) OR i = CEIL(pos)
)
-- One-row results combined as scalar subqueries (Spark merges those over the same CTE), not as
-- cross joins of one-row aggregates (Spark 4.1's nested loop join lost attributes on that shape).
SELECT (SELECT net_revenue FROM line_totals)                AS net_revenue,
       (SELECT gross_revenue FROM line_totals)              AS gross_revenue,
       (SELECT total_discount FROM line_totals)             AS total_discount,
       (SELECT orders FROM order_totals)                    AS orders,
       (SELECT order_lines FROM line_totals)                AS order_lines,
       (SELECT customers_with_orders FROM with_orders)      AS customers_with_orders,
       (SELECT customers_without_orders FROM without_orders) AS customers_without_orders,
       (SELECT active_products FROM line_totals)            AS active_products,
       -- DECIMAL(38,8) / BIGINT keeps scale 8: one HALF_UP rounding, none before.
       CAST((SELECT CAST(net_revenue AS DECIMAL(38,8)) FROM line_totals)
            / NULLIF((SELECT orders FROM order_totals), 0) AS DECIMAL(30,8)) AS avg_basket,
       (SELECT median_basket FROM median)                   AS median_basket,
       (SELECT first_order_date FROM order_totals)          AS first_order_date,
       (SELECT last_order_date FROM order_totals)           AS last_order_date,
       (SELECT stream_orders FROM order_totals)             AS stream_orders,
       (SELECT stream_net_revenue FROM order_totals)        AS stream_net_revenue,
       CAST((SELECT stream_net_revenue FROM order_totals) AS DOUBLE)
         / NULLIF(CAST((SELECT net_revenue FROM line_totals) AS DOUBLE), 0) AS stream_share
