-- Reports as files (issue 17 item 7): a run, sweep or comparison report is rendered once to a
-- self-contained HTML page or a PDF and archived here, with what it is about, its format, its bytes
-- and their SHA-256, so a download is the very file that was made and can be checked later.
-- A PDF is binary: it lives in `content`; an HTML report keeps its text in `html` as before.
ALTER TABLE nf_reports
  ADD COLUMN kind        text NOT NULL DEFAULT 'run' CHECK (kind IN ('run', 'sweep', 'compare')),
  ADD COLUMN format      text NOT NULL DEFAULT 'html' CHECK (format IN ('html', 'pdf')),
  ADD COLUMN content     bytea,
  ADD COLUMN sha256      text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  ADD COLUMN bytes       integer CHECK (bytes >= 0),
  -- For a comparison report: the stored comparison (nf_analyses) it shows.
  ADD COLUMN analysis_id bigint REFERENCES nf_analyses (id) ON DELETE SET NULL,
  ADD COLUMN created_by  text;
ALTER TABLE nf_reports DROP CONSTRAINT nf_reports_check;
ALTER TABLE nf_reports ADD CONSTRAINT nf_reports_body_check
  CHECK (html IS NOT NULL OR path IS NOT NULL OR content IS NOT NULL);
CREATE INDEX nf_reports_analysis_id_idx ON nf_reports (analysis_id);
