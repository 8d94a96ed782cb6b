import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createActivities } from '../../src/activities/index.ts';
import { ACTIVITY_NAMES } from '../../src/model/activities.ts';

describe('activity names', () => {
  it('ACTIVITY_NAMES, which the CLI shows and checks `--fail-activity` against without loading the bodies, are the activities the worker registers, in its order', () => {
    assert.deepEqual(ACTIVITY_NAMES, Object.keys(createActivities()));
  });
});
