-- A study's search space keeps the order its parameters were declared in. jsonb sorts object keys
-- (by length, then bytes), and samplers draw parameters in the space's order from one seeded
-- random stream: a space read back from jsonb made the same seed sample other values than the same
-- search in memory, so a run could not be reproduced outside the database. json keeps the text as
-- written (and `->` still reads one parameter's distribution).
ALTER TABLE nf_studies ALTER COLUMN space TYPE json USING space::json;
