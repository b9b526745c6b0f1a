-- revenue_by_category's sums by category: additive over new orders (their lines).
SELECT category_id,
       category_name,
       CAST(SUM(net_amount) AS DECIMAL(30,8)) AS net_revenue,
       CAST(SUM(quantity) AS BIGINT)          AS quantity,
       COUNT(DISTINCT order_id)               AS orders
FROM line_base
GROUP BY category_id, category_name
