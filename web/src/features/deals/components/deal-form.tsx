import { Select } from '@mantine/core';
import type { FieldOverride } from '../../../components/records/RecordForm';
import type { Pipeline } from '../../../lib/api/types';

/** Pipeline and stage as choices by name (the API stores ids). */
export function dealFormOverrides(pipelines: Pipeline[], pipelineId: string): Record<string, FieldOverride> {
  const pipeline = pipelines.find((p) => p.id === pipelineId) ?? pipelines[0];
  return {
    pipelineId: {
      render: ({ value, onChange, label, error }) => (
        <Select
          label={label}
          data={pipelines.map((p) => ({ value: p.id, label: p.name }))}
          value={value || pipeline?.id || null}
          onChange={(v) => onChange(v ?? '')}
          error={error}
          allowDeselect={false}
        />
      ),
    },
    stageId: {
      render: ({ value, onChange, label, error }) => (
        <Select
          label={label}
          data={(pipeline?.stages ?? []).map((s) => ({ value: s.id, label: s.name }))}
          value={value || null}
          onChange={(v) => onChange(v ?? '')}
          error={error}
          required
          allowDeselect={false}
        />
      ),
    },
  };
}
