-- crmlab warehouse SQL: the RFM table and the BG/NBD summary (frequency, recency, T) of a
-- transaction log, as one SQL text that runs unchanged on DuckDB and on Spark SQL.
-- crmlab.warehouse reads this file; a researcher can run the same statements on a cluster
-- or a warehouse (README, researchers' section).
--
-- Input: a view crm_source(customer_raw, date_raw, amount_raw) with the user's three columns
-- under these names (crmlab.warehouse makes it from a CSV/Parquet path or a DataFrame).
--
-- Portability rules kept here (each checked on DuckDB 2.0 and Spark 4.3):
-- * identifiers are never quoted: in Spark a double-quoted "name" is a string literal, a
--   silent wrong answer; the user's column names are renamed by the engine, not in SQL;
-- * dates are compared, never subtracted (no engine-specific date arithmetic): the day
--   counts (recency, T) are computed by crmlab from the dates these queries return;
-- * dates leave the engines as ISO text (CAST(... AS STRING)), so no engine converts them
--   through a time zone on the way out (crmlab runs Spark with the session zone UTC);
-- * money is DECIMAL(38, 6): sums are exact, so both engines return the same number (DOUBLE
--   sums depend on the order of addition); amounts are rounded to a millionth of the unit
--   on the way in and sums leave as DOUBLE, rounded once;
-- * TRY_CAST, COUNT(*) FILTER (WHERE ...), MIN_BY, CONCAT, SUBSTR, TRIM, TRANSLATE, isnan,
--   DATE '...' and TIMESTAMP '...' literals, CREATE OR REPLACE TEMPORARY VIEW: in both
--   dialects.
--
-- Statements are named by a line "-- name: NAME"; {placeholders} are filled by
-- crmlab.warehouse with other snippets of this file or with date literals it writes itself
-- (DATE '1997-09-30'), never with user text.


-- name: time_from_timestamp
-- The purchase time of a DATE or TIMESTAMP column (without time zone).
CAST(date_raw AS TIMESTAMP)

-- name: time_from_text
-- Text: ISO dates and times ('2024-01-31', '2024-01-31 10:15:00'), or YYYYMMDD ('20240131').
-- Anything else is NULL, and reported as "not a date" by the checks. An ISO text must start
-- with a four-digit year and '-': the engines' casts also read '24-01-31' as the year 24,
-- '1-1-1' as the year 1 and 'infinity' as a date, which no log means.
CASE WHEN LENGTH(TRIM(date_raw)) = 8 AND TRIM(date_raw) NOT LIKE '%-%'
     THEN TRY_CAST(CONCAT(SUBSTR(TRIM(date_raw), 1, 4), '-', SUBSTR(TRIM(date_raw), 5, 2), '-',
                          SUBSTR(TRIM(date_raw), 7, 2)) AS TIMESTAMP)
     WHEN SUBSTR(TRIM(date_raw), 5, 1) = '-'
      AND TRANSLATE(SUBSTR(TRIM(date_raw), 1, 4), '0123456789', '') = ''
     THEN TRY_CAST(TRIM(date_raw) AS TIMESTAMP) END

-- name: time_from_number
-- Whole numbers 10000101..99991231 read as YYYYMMDD (20240131), as the pandas path does.
CASE WHEN date_raw = FLOOR(date_raw) AND date_raw >= 10000101 AND date_raw <= 99991231
     THEN TRY_CAST(CONCAT(SUBSTR(CAST(CAST(date_raw AS BIGINT) AS STRING), 1, 4), '-',
                          SUBSTR(CAST(CAST(date_raw AS BIGINT) AS STRING), 5, 2), '-',
                          SUBSTR(CAST(CAST(date_raw AS BIGINT) AS STRING), 7, 2)) AS TIMESTAMP)
     END

-- name: zoned_text
-- Text with a time-zone offset ('2024-01-31T10:15:00+08:00', '...Z'): the engines would not
-- read it in its local time as the pandas path does, so the checks refuse it.
(LENGTH(TRIM(date_raw)) > 10 AND (TRIM(date_raw) LIKE '%+%' OR TRIM(date_raw) LIKE '%Z'
                                  OR SUBSTR(TRIM(date_raw), 11) LIKE '%-%'))

-- name: amount_from_number
CAST(amount_raw AS DOUBLE)

-- name: amount_from_text
TRY_CAST(TRIM(amount_raw) AS DOUBLE)

-- name: amount_none
-- btyd_summary(..., amount=None): no money column.
CAST(0 AS DOUBLE)


-- name: checks
-- One pass over the source counting every kind of bad row, in the order the pandas path
-- checks them. {purchase_time}, {amount_value} and {zoned} are snippets above.
SELECT
  COUNT(*) AS n_rows,
  COUNT(*) FILTER (WHERE customer_raw IS NULL) AS missing_ids,
  COUNT(*) FILTER (WHERE date_raw IS NULL) AS missing_dates,
  COUNT(*) FILTER (WHERE date_raw IS NOT NULL AND {zoned}) AS zoned_dates,
  COUNT(*) FILTER (WHERE date_raw IS NOT NULL AND {purchase_time} IS NULL) AS bad_dates,
  COUNT(*) FILTER (WHERE amount_raw IS NOT NULL AND {amount_value} IS NULL) AS text_amounts,
  COUNT(*) FILTER (WHERE amount_raw IS NULL OR isnan({amount_value})) AS missing_amounts,
  COUNT(*) FILTER (WHERE NOT isnan({amount_value})
                     AND ABS({amount_value}) > 1.7976931348623157E308) AS infinite_amounts,
  COUNT(*) FILTER (WHERE NOT isnan({amount_value}) AND ABS({amount_value}) >= 1E20
                     AND ABS({amount_value}) <= 1.7976931348623157E308) AS huge_amounts,
  COUNT(*) FILTER (WHERE {amount_value} < 0) AS negative_amounts,
  COUNT(*) FILTER (WHERE {amount_value} >= 0) AS nonnegative_amounts
FROM crm_source

-- name: examples
-- The first rows of one kind of bad row, for the message ({condition}: a condition of the
-- checks above). source_file and source_row are NULL where the engine cannot number rows.
SELECT source_file, source_row,
       CAST(customer_raw AS STRING) AS customer_text,
       CAST(date_raw AS STRING) AS date_text,
       CAST(amount_raw AS STRING) AS amount_text
FROM crm_source
WHERE {condition}
ORDER BY source_file, source_row
LIMIT 6

-- name: log
-- The checked log: customer id, purchase time, amount as exact DECIMAL.
CREATE OR REPLACE TEMPORARY VIEW crm_log AS
SELECT customer_raw AS customer_id,
       {purchase_time} AS purchase_time,
       CAST({amount_value} AS DECIMAL(38, 6)) AS amount
FROM crm_source


-- name: purchases_keep
-- same_day="keep": every row is a purchase (or a return). {kept}: TRUE, or amount >= 0
-- (returns="drop").
SELECT customer_id, purchase_time, purchase_time AS latest, amount
FROM crm_log
WHERE {kept}

-- name: purchases_merge
-- same_day="merge": a customer's rows of one calendar day are one purchase, amounts summed;
-- latest keeps the last time of the day (the default as_of is the last time in the log).
SELECT customer_id,
       CAST(CAST(purchase_time AS DATE) AS TIMESTAMP) AS purchase_time,
       MAX(purchase_time) AS latest,
       SUM(amount) AS amount
FROM crm_log
WHERE {kept}
GROUP BY customer_id, CAST(CAST(purchase_time AS DATE) AS TIMESTAMP)

-- name: rfm_summary
-- crmlab.rfm.customer_table: first and last purchase, purchases and money per customer.
-- {purchases}: one of the two statements above. A purchase is a row (or merged day) with
-- amount >= 0; returns (amount < 0) only net the money (returns="net").
WITH crm_purchases AS (
{purchases}
)
SELECT customer_id,
       CAST(MIN(purchase_time) AS STRING) AS first_purchase,
       CAST(MAX(purchase_time) AS STRING) AS last_purchase,
       CAST(MAX(latest) AS STRING) AS latest,
       COUNT(*) FILTER (WHERE amount >= 0) AS frequency,
       CAST(SUM(amount) AS DOUBLE) AS monetary_total
FROM crm_purchases
GROUP BY customer_id

-- name: btyd_summary
-- crmlab.btyd.repeat_purchase_table: purchases on one calendar day merged into one (amounts
-- summed); customers whose first purchase is after {calibration_end} left out; calibration
-- days, last calibration day, calibration money and the first day's money (crmlab takes
-- the difference, the repeat spend, as the pandas path does, in floats; MIN_BY over a DOUBLE,
-- as MIN_BY over a DECIMAL does not fit DuckDB in 100 MB), and holdout days in
-- ({calibration_end}, {holdout_end}].
WITH crm_days AS (
  SELECT customer_id, CAST(purchase_time AS DATE) AS purchase_day, SUM(amount) AS amount
  FROM crm_log
  GROUP BY customer_id, CAST(purchase_time AS DATE)
)
SELECT customer_id,
       CAST(MIN(purchase_day) AS STRING) AS first_purchase,
       CAST(MAX(purchase_day) FILTER (WHERE purchase_day <= {calibration_end}) AS STRING)
         AS last_purchase,
       COUNT(*) FILTER (WHERE purchase_day <= {calibration_end}) AS calibration_days,
       CAST(SUM(amount) FILTER (WHERE purchase_day <= {calibration_end}) AS DOUBLE)
         AS calibration_amount,
       MIN_BY(CAST(amount AS DOUBLE), purchase_day) AS first_amount,
       COUNT(*) FILTER (WHERE purchase_day > {calibration_end}
                          AND purchase_day <= {holdout_end}) AS holdout_days
FROM crm_days
GROUP BY customer_id
HAVING MIN(purchase_day) <= {calibration_end}
