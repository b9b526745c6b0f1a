-- Recency, frequency and monetary value of every customer with at least one order.
-- Recency counts days from the day after the last order date in the data, so it is >= 1.
-- (A window over the per-customer rows instead of a cross join with a one-row aggregate: Spark
-- 4.1's broadcast nested loop join lost attributes on that shape over cached data. A subquery, not
-- a CTE: the RFM tables read this view several times, and Spark 4.1's CTE inlining failed on the
-- copies of its CTE definition, UnresolvedException in DeduplicateRelations.)
-- fact_order holds each order once (its MERGE key is order_id), so COUNT(order_id) counts orders:
-- COUNT(DISTINCT ...) would add a shuffle of every order for nothing.
SELECT customer_id,
       last_order_date,
       DATEDIFF(DATE_ADD(MAX(last_order_date) OVER (), 1), last_order_date) AS recency_days,
       frequency,
       monetary
FROM (
  SELECT customer_id,
         MAX(order_date)                        AS last_order_date,
         COUNT(order_id)                        AS frequency,
         CAST(SUM(net_amount) AS DECIMAL(30,8)) AS monetary
  FROM order_base
  WHERE customer_id IS NOT NULL
  GROUP BY customer_id
) per_customer
