-- A web session remembers the device that started it, for its owner to
-- recognise on the account page: the browser's and system's names read
-- from the User-Agent (not the header) and the client address with its
-- host part masked (shelf.MaskAddr). Older sessions show "unknown device".

-- +goose Up
ALTER TABLE sessions ADD COLUMN device_browser TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN device_os TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN device_addr TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sessions DROP COLUMN device_addr;
ALTER TABLE sessions DROP COLUMN device_os;
ALTER TABLE sessions DROP COLUMN device_browser;
