-- The current version of each customer (SCD2 rows with is_current), one row per customer_id even if
-- Silver ever had two current rows (the latest valid_from wins). Country is upper-cased for grouping.
SELECT customer_id, company_name, country
FROM (
  SELECT customer_id,
         company_name,
         UPPER(TRIM(country)) AS country,
         ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY valid_from DESC, customer_sk DESC) AS rn
  FROM dim_customer
  WHERE is_current
)
WHERE rn = 1
