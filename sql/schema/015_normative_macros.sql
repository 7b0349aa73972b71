-- Residents for the normative and the cell of the normative table: SQL twins of
-- sbyt.core.normative (tests/test_rules.py keeps them equal).
--   normative_residents(living, registered, owners)  living, else registered, else owners
--   room_class(rooms)                                  1 … 4 (4 = four rooms and more)
--   household_size(residents)                          1 … 5 (5 = five people and more)
CREATE MACRO normative_residents(living, registered, owners) AS
    CASE WHEN coalesce(living, 0) > 0 THEN living
         WHEN coalesce(registered, 0) > 0 THEN registered
         WHEN coalesce(owners, 0) > 0 THEN owners
         ELSE 0 END;

CREATE MACRO room_class(rooms) AS least(greatest(coalesce(rooms, 1), 1), 4);

CREATE MACRO household_size(residents) AS least(greatest(residents, 1), 5);
