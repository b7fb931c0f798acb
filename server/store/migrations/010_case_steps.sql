-- Named steps (docs/named-steps.md): the server judges a request's step against the records around it (its
-- documents, signature, research reports, notifications; the beneficiary's household), read by parent id.
CREATE INDEX records_case_children_idx ON records (association_id, entity, (data->>'caseId'))
  WHERE data ? 'caseId';
CREATE INDEX records_beneficiary_children_idx ON records (association_id, entity, (data->>'beneficiaryId'))
  WHERE data ? 'beneficiaryId';

-- C-OBJ-5, C-OBJ-6: one-time satisfaction ballots, issued by a request's delivery and spent by one answer. A
-- ballot names no request and no beneficiary, and keeps only its day, branch and service, so an anonymous
-- answer cannot be traced from here to the delivery it rates (docs/named-steps.md).
CREATE TABLE ballots (
  association_id uuid NOT NULL REFERENCES associations (id),
  ballot_id uuid NOT NULL,
  branch_id uuid,
  service_type_id text,
  issued_on date NOT NULL,
  spent boolean NOT NULL DEFAULT false,
  PRIMARY KEY (association_id, ballot_id)
);
