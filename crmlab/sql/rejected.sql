-- crmlab warehouse SQL, DuckDB only: the bad rows of a file, found, written to a side file
-- and left out, as the crmlab command's pandas engine does it (crmlab/cli/clean.py):
-- warehouse.rfm_summary(..., rejected="OUT.rejected.csv") and `crmlab rfm/clv --engine
-- duckdb`. crmlab.warehouse_bad_rows runs these statements.
--
-- DuckDB only: it numbers the rows of a file (Spark cannot), writes the side file with COPY,
-- and printf and regexp_full_match are its functions. The reading of dates and amounts is
-- the portable one of warehouse.sql ({purchase_time}, {amount_value}).
--
-- Input: the view crm_input(<every column of the file>, customer_raw, date_raw, amount_raw,
-- source_file, source_row) that crmlab.warehouse_engines makes, a CSV read with every cell
-- as text. Output: the view crm_flags (every row, with a flag per kind of bad row and
-- `rejected`), the table crm_rejected (the bad rows, with their reason) and a new
-- crm_source: the other rows, for the checks and summaries of warehouse.sql.
--
-- Reasons are worded as the pandas engine words them, so the two side files can be
-- compared (a test does, row by row); the differences: a date in a form only the pandas
-- engine reads ('2024年1月31日', '31 Jan 2024') is a bad row here, whose reason says so, and
-- so is '03/04/2024' without --dayfirst/--monthfirst (the pandas engine tells the order from
-- the rest of the column); and a
-- cell is quoted as 'text', where the pandas engine writes Python's repr (which differs for a
-- cell with a quote, a backslash or a control character). The cells arrive stripped of white
-- space as Python strips it. Regular expressions here avoid braces ({placeholders} are
-- filled by crmlab.warehouse_bad_rows).


-- name: missing_text
-- A cell that says nothing, as the crmlab command reads one: empty, or one of the texts of
-- crmlab.cli.dates.NULLS (a test keeps the two lists equal).
({column} IS NULL OR LOWER(TRIM({column})) IN ('', 'na', 'n/a', 'nan', 'null', 'none', '#n/a',
                                               'nat', '-'))

-- name: missing_number
({column} IS NULL OR isnan({column}))

-- name: missing_time
({column} IS NULL)

-- name: id_reason_text
CASE WHEN customer_raw IS NULL OR TRIM(customer_raw) = '' THEN 'empty customer id'
     ELSE CONCAT('empty customer id (''', TRIM(customer_raw), ''')') END

-- name: id_reason_number
'empty customer id'

-- name: date_reason_text
-- Day and month first, both 12 or less and not the same, with no order given (--dayfirst,
-- --monthfirst); a date of the pandas engine's forms that is no calendar date (2024-02-30,
-- 31/02/2024, 20241345); a date in a form only the pandas engine reads; anything else.
CASE WHEN regexp_full_match(TRIM(date_raw),
       '[0-9][0-9]?([-/.])[0-9][0-9]?[-/.][0-9][0-9][0-9][0-9]([T ].*)?')
      AND TRY_CAST(regexp_extract(TRIM(date_raw), '^([0-9]+)', 1) AS INT) <= 12
      AND TRY_CAST(regexp_extract(TRIM(date_raw), '^[0-9]+[-/.]([0-9]+)', 1) AS INT) <= 12
      AND TRY_CAST(regexp_extract(TRIM(date_raw), '^([0-9]+)', 1) AS INT)
          <> TRY_CAST(regexp_extract(TRIM(date_raw), '^[0-9]+[-/.]([0-9]+)', 1) AS INT)
     THEN CONCAT('''', TRIM(date_raw), ''' could be day/month or month/day (pass --dayfirst ',
                 'or --monthfirst)')
     WHEN regexp_full_match(TRIM(date_raw),
       '([0-9][0-9][0-9][0-9][-/.][0-9][0-9]?[-/.][0-9][0-9]?|[0-9][0-9]?[-/.][0-9][0-9]?[-/.][0-9][0-9][0-9][0-9])([T ] *[0-9][0-9]?:[0-9][0-9](:[0-9][0-9]([.,][0-9]+)?)?)?\s*(Z|UTC|GMT|[+-][0-9][0-9](:?[0-9][0-9])?)?|[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]',
       'i')
     THEN CONCAT('''', TRIM(date_raw), ''' is not a valid calendar date')
     WHEN regexp_matches(TRIM(date_raw), '[0-9][0-9][0-9][0-9]')
      AND regexp_matches(TRIM(date_raw), '^[0-9]+\.0+$|年|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)', 'i')
     THEN CONCAT('''', TRIM(date_raw), ''' is not a date form the SQL path reads (2024-01-31, ',
                 '2024/1/31, 31/01/2024, 20240131)')
     ELSE CONCAT('''', TRIM(date_raw), ''' is not a date in a known form (e.g. 2024-01-31)') END

-- name: date_reason_number
-- A YYYYMMDD number that is no calendar date, or another number.
CASE WHEN regexp_full_match(printf('%.0f', date_raw), '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]')
     THEN CONCAT('''', printf('%.0f', date_raw), ''' is not a valid calendar date')
     ELSE CONCAT('''', printf('%.0f', date_raw), ''' is not a date in a known form (e.g. ',
                 '2024-01-31)') END

-- name: whole_id_text
-- An id the crmlab command reads as an integer: a whole number as written (no leading zero,
-- no sign but minus, no decimals), at most 18 characters.
(LENGTH(TRIM(customer_raw)) <= 18 AND regexp_full_match(TRIM(customer_raw), '-?[1-9][0-9]*|0'))

-- name: whole_id_number
(customer_raw = FLOOR(customer_raw))


-- name: rejected_flags
-- Every row with a flag per kind of bad row, in the pandas engine's order. {negative}: TRUE
-- when negative amounts are rejected (returns="error", and btyd_summary), else FALSE.
CREATE OR REPLACE TEMPORARY VIEW crm_flags AS
SELECT *,
       empty_id OR missing_date OR unreadable_date OR missing_amount OR non_numeric_amount
         OR infinite_amount OR negative_amount AS rejected
FROM (
  SELECT *,
         COALESCE({id_missing}, FALSE) AS empty_id,
         COALESCE({date_missing}, FALSE) AS missing_date,
         COALESCE(NOT {date_missing} AND {purchase_time} IS NULL, FALSE) AS unreadable_date,
         COALESCE({amount_missing}, FALSE) AS missing_amount,
         COALESCE(NOT {amount_missing} AND {amount_value} IS NULL, FALSE) AS non_numeric_amount,
         COALESCE(NOT {amount_missing} AND ABS({amount_value}) > 1.7976931348623157E308, FALSE)
           AS infinite_amount,
         COALESCE({negative} AND {amount_value} < 0, FALSE) AS negative_amount
  FROM crm_input
)

-- name: rejected_counts
-- One pass: all rows, the bad ones by kind, and the good rows whose id is not a whole number
-- (if there is none, the ids are read as integers, as the crmlab command reads them).
SELECT COUNT(*) AS n_rows,
       COUNT(*) FILTER (WHERE rejected) AS rejected,
       COUNT(*) FILTER (WHERE empty_id) AS empty_id,
       COUNT(*) FILTER (WHERE missing_date) AS missing_date,
       COUNT(*) FILTER (WHERE unreadable_date) AS unreadable_date,
       COUNT(*) FILTER (WHERE missing_amount) AS missing_amount,
       COUNT(*) FILTER (WHERE non_numeric_amount) AS non_numeric_amount,
       COUNT(*) FILTER (WHERE infinite_amount) AS infinite_amount,
       COUNT(*) FILTER (WHERE negative_amount) AS negative_amount,
       COUNT(*) FILTER (WHERE NOT rejected AND NOT COALESCE({whole_id}, FALSE)) AS text_ids
FROM crm_flags

-- name: rejected_table
-- The bad rows with their reasons ("; " between two), numbered (rows are numbered only when
-- there is a bad row: {condition} is `rejected`, or FALSE).
CREATE OR REPLACE TEMPORARY TABLE crm_rejected AS
SELECT *,
       CONCAT_WS('; ',
         CASE WHEN empty_id THEN {id_reason} END,
         CASE WHEN missing_date THEN 'missing date' END,
         CASE WHEN unreadable_date THEN {date_reason} END,
         CASE WHEN missing_amount THEN 'missing amount' END,
         CASE WHEN non_numeric_amount
              THEN CONCAT('amount ''', TRIM(CAST(amount_raw AS VARCHAR)), ''' is not a number') END,
         CASE WHEN infinite_amount
              THEN CONCAT('amount ''', TRIM(CAST(amount_raw AS VARCHAR)), ''' is not finite') END,
         CASE WHEN negative_amount
              THEN CONCAT('negative amount ', printf('%g', {amount_value}), ' (a return?)') END)
         AS reason
FROM crm_flags
WHERE {condition}

-- name: rejected_first
-- The first rows of one kind ({flag}), for the terminal; row 1 is the first row after the
-- header, as in the side file.
SELECT source_row + 1 AS row_number, reason
FROM crm_rejected
WHERE {flag}
ORDER BY source_file, source_row
LIMIT 5

-- name: rejected_file
-- The side file: row number, [file,] reason, then every column as the file has it.
COPY (SELECT source_row + 1 AS "row", {file}reason, {columns}
      FROM crm_rejected
      ORDER BY source_file, source_row) TO {path} (FORMAT csv, HEADER)

-- name: rejected_kept
-- The rows left: crm_source for the checks and summaries of warehouse.sql, ids trimmed and,
-- when every one is a whole number, read as integers ({customer}). The condition is NOT
-- rejected, written with the parsed values alone (a cell that says nothing parses to NULL
-- or NaN), so that each later pass does not evaluate every flag again; crmlab checks that
-- the rows left and the rows rejected add up to the rows read.
CREATE OR REPLACE TEMPORARY VIEW crm_source AS
SELECT {customer} AS customer_raw, date_raw, amount_raw, source_file, source_row
FROM crm_input
WHERE NOT {id_missing}
  AND {purchase_time} IS NOT NULL
  AND {amount_value} IS NOT NULL AND NOT isnan({amount_value})
  AND ABS({amount_value}) <= 1.7976931348623157E308
  AND NOT ({negative} AND {amount_value} < 0)
