"""The offline field device (`ektp field ...`): record residents into a local SQLite database
where the network is down (jemput bola), then send them to enrolment with SyncRecordings.

- store.py   the device's own database: settings, cached regions, recordings and their results
- client.py  the calls to enrolment (Login, ListRegions, SyncRecordings) and the resumable sync
- cli.py     the commands: init, login, record, fix, list, status, sync

A recording is validated on the device with the same rules as the server
(enrolment.domain.validate_recording against the cached regions), so the officer fixes a
mistake on the spot. Each recording has a local id; the server keeps a receipt per
(device id, local id), so a re-sent recording stores nothing new and returns its result.
A refused recording (invalid, not eligible, outside the officer's region) gets no receipt:
the officer fixes it (`ektp field fix LOCAL_ID`) and it is sent again under the same local id.
"""
