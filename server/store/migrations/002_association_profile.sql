-- Which policy profile (src/domain/profiles) an association follows. Existing associations whose code is
-- a profile's code follow that profile.
ALTER TABLE associations ADD COLUMN profile_code text;
UPDATE associations SET profile_code = code WHERE code IN ('ld', 'bakkah', 'awn', 'qalb', 'kadi');
