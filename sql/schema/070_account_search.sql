-- Console search index (owned by the operator console, sbyt.core.search).
-- One row per account with a precomputed lowercase haystack «number holder address», sorted by
-- number so that DuckDB's zone maps make number-prefix lookups touch a few row groups.
-- Rebuilt by `sbyt.core.search.refresh_search_index` whenever the stamp of the master data in
-- `meta` ('search.stamp') no longer matches; searching never depends on it being fresh (a stale
-- index falls back to a live join).
CREATE TABLE account_search (
    account_id   BIGINT NOT NULL,
    number       VARCHAR NOT NULL,
    holder_name  VARCHAR NOT NULL,
    address      VARCHAR NOT NULL,
    haystack     VARCHAR NOT NULL
);
