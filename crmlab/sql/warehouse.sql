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
-- * TRY_CAST, COUNT(*) FILTER (WHERE ...), MIN_BY, CONCAT, SUBSTR, TRIM, TRANSLATE, LPAD,
--   UPPER, isnan, DATE '...' and TIMESTAMP '...' literals, CREATE OR REPLACE TEMPORARY VIEW:
--   in both dialects;
-- * regexp_extract(text, pattern, group) in both, with patterns both regex engines (RE2,
--   Java) read alike: no backslashes (Spark's string literals take them as escapes), no
--   back-references, at most 9 capturing groups (DuckDB's limit), (?:...) for the others.
--
-- Statements are named by a line "-- name: NAME"; {placeholders} are filled by
-- crmlab.warehouse with other snippets of this file or with date literals it writes itself
-- (DATE '1997-09-30'), never with user text.


-- name: time_from_timestamp
-- The purchase time of a DATE or TIMESTAMP column (without time zone).
CAST(date_raw AS TIMESTAMP)

-- name: time_from_text
-- Text, read as the pandas path reads it: YYYYMMDD ('20240131'); year first with '-', '/'
-- or '.' ('2024-01-31', '2024/1/31', '2024.01.31'); day and month first ('31/01/2024',
-- '01.31.2024'), in the order {day_first} says; each with an optional time ('T' or a
-- space, then 10:15, 10:15:00 or 10:15:00.250) and an optional time zone (Z, UTC, GMT,
-- +08:00, +0800, +08), dropped: the local date and time are kept as written, as
-- require_dates does. Anything else is NULL, and reported as "not a date" by the checks.
-- The plain ISO forms are cast at once (no regular expression on a big file of them); the
-- others are taken apart by regexp_extract (both dialects; no backslashes, which Spark
-- string literals would eat). {iso_*}, {dmy_*} and {clock_*}: the snippets date_part and
-- clock below, filled in by crmlab.
CASE WHEN LENGTH(TRIM(date_raw)) = 8 AND TRANSLATE(TRIM(date_raw), '0123456789', '') = ''
     THEN TRY_CAST(CONCAT(SUBSTR(TRIM(date_raw), 1, 4), '-', SUBSTR(TRIM(date_raw), 5, 2), '-',
                          SUBSTR(TRIM(date_raw), 7, 2)) AS TIMESTAMP)
     WHEN LENGTH(TRIM(date_raw)) IN (10, 19) AND SUBSTR(TRIM(date_raw), 5, 1) = '-'
      AND SUBSTR(TRIM(date_raw), 8, 1) = '-'
      AND TRANSLATE(SUBSTR(TRIM(date_raw), 1, 4), '0123456789', '') = ''
      AND TRY_CAST(TRIM(date_raw) AS TIMESTAMP) IS NOT NULL
     THEN TRY_CAST(TRIM(date_raw) AS TIMESTAMP)
     WHEN {iso_0} <> '' AND {iso_2} = {iso_4}
     THEN TRY_CAST(CONCAT({iso_1}, '-', LPAD({iso_3}, 2, '0'), '-', LPAD({iso_5}, 2, '0'), ' ',
                          {clock_iso}) AS TIMESTAMP)
     WHEN {dmy_0} <> '' AND {dmy_2} = {dmy_4} AND {day_first} IS NOT NULL
     THEN TRY_CAST(CONCAT({dmy_5}, '-',
                          LPAD(CASE WHEN {day_first} THEN {dmy_3} ELSE {dmy_1} END, 2, '0'), '-',
                          LPAD(CASE WHEN {day_first} THEN {dmy_1} ELSE {dmy_3} END, 2, '0'),
                          ' ', {clock_dmy}) AS TIMESTAMP) END

-- name: iso_form
-- Year first: groups 1 year, 2 and 4 the separators, 3 month, 5 day; then the time.
^([0-9][0-9][0-9][0-9])([-/.])([0-9][0-9]?)([-/.])([0-9][0-9]?){time_form}

-- name: dmy_form
-- Day and month first (either order): groups 1 and 3 the numbers, 2 and 4 the separators,
-- 5 the year; then the time.
^([0-9][0-9]?)([-/.])([0-9][0-9]?)([-/.])([0-9][0-9][0-9][0-9]){time_form}

-- name: time_form
-- The optional time and zone of both forms: groups 6 hour, 7 minute, 8 second, 9 fraction
-- (DuckDB numbers groups up to 9: the others do not capture).
(?:[T ] *([0-9][0-9]?):([0-9][0-9])(?::([0-9][0-9])(?:[.,]([0-9]+))?)?)? *(?:Z|UTC|GMT|[+-][0-9][0-9](?::?[0-9][0-9])?)?$

-- name: date_part
-- Group {group} of the date form {pattern} in the text ('' when it does not match).
regexp_extract(UPPER(TRIM(date_raw)), '{pattern}', {group})

-- name: clock
-- The time of day of a date taken apart, as 'HH:MM:SS.ffffff' (00:00:00 without one; a
-- fraction cut to microseconds, as the pandas path cuts it).
CONCAT(LPAD(CASE WHEN {hour} = '' THEN '0' ELSE {hour} END, 2, '0'), ':',
       CASE WHEN {minute} = '' THEN '00' ELSE {minute} END, ':',
       CASE WHEN {second} = '' THEN '00' ELSE {second} END, '.',
       SUBSTR(CONCAT({fraction}, '000000'), 1, 6))

-- name: day_first_unless_impossible
-- 03/04/2024 without an order given: month first, unless the first number is over 12
-- (31/01/2024), as pandas reads it in rfm.customer_table.
(TRY_CAST({dmy_1} AS INT) > 12)

-- name: day_first_when_clear
-- The crmlab command's duckdb engine without --dayfirst/--monthfirst: only a date whose
-- order shows (a number over 12, or both the same) is read; 03/04/2024 is not.
CASE WHEN TRY_CAST({dmy_1} AS INT) > 12 THEN TRUE
     WHEN TRY_CAST({dmy_3} AS INT) > 12 OR TRY_CAST({dmy_1} AS INT) = TRY_CAST({dmy_3} AS INT)
     THEN FALSE END

-- name: time_from_number
-- Whole numbers 10000101..99991231 read as YYYYMMDD (20240131), as the pandas path does.
CASE WHEN date_raw = FLOOR(date_raw) AND date_raw >= 10000101 AND date_raw <= 99991231
     THEN TRY_CAST(CONCAT(SUBSTR(CAST(CAST(date_raw AS BIGINT) AS STRING), 1, 4), '-',
                          SUBSTR(CAST(CAST(date_raw AS BIGINT) AS STRING), 5, 2), '-',
                          SUBSTR(CAST(CAST(date_raw AS BIGINT) AS STRING), 7, 2)) AS TIMESTAMP)
     END

-- name: zoned_text
-- Text with a time-zone offset ('2024-01-31T10:15:00+08:00', '...Z'): counted, so that the
-- crmlab command's duckdb engine can refuse several zones (statement zones).
(LENGTH(TRIM(date_raw)) > 10 AND (TRIM(date_raw) LIKE '%+%' OR UPPER(TRIM(date_raw)) LIKE '%Z'
                                  OR UPPER(TRIM(date_raw)) LIKE '%UTC'
                                  OR UPPER(TRIM(date_raw)) LIKE '%GMT'
                                  OR SUBSTR(TRIM(date_raw), 11) LIKE '%-%'))

-- name: zones
-- The distinct zones written in the dates ({zoned}: the snippet above).
SELECT DISTINCT regexp_extract(SUBSTR(UPPER(TRIM(date_raw)), 11),
                               '(Z|UTC|GMT|[+-][0-9][0-9](:?[0-9][0-9])?)$', 1) AS zone
FROM crm_source
WHERE date_raw IS NOT NULL AND {zoned}
LIMIT 100

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
