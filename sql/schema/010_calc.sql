-- sbyt calc: extra inputs carried by accrual lines (read by `sbyt explain`, the ЕПД and reports).
--   meter_id     readings/average lines: the meter whose readings or history gave the volume
--   avg_wh       average method: the monthly average volume of the base (per zone)
--   share_num/den communal flats: people in the room / people in the flat (section)
--   base_method  recalc lines: the method(s) of the recomputed month's lines (e.g. 'normative')
--   tariff_group the household tariff group whose price was used
ALTER TABLE accrual_line ADD COLUMN meter_id BIGINT;
ALTER TABLE accrual_line ADD COLUMN avg_wh BIGINT;
ALTER TABLE accrual_line ADD COLUMN share_num SMALLINT;
ALTER TABLE accrual_line ADD COLUMN share_den SMALLINT;
ALTER TABLE accrual_line ADD COLUMN base_method VARCHAR;
ALTER TABLE accrual_line ADD COLUMN tariff_group VARCHAR;
