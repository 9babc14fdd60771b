import { describe, expect, it } from 'vitest';
import { operatorNameProblem } from './operator-name.ts';

describe('operatorNameProblem', () => {
  it('accepts what the host accepts and says why it refuses the rest', () => {
    expect(operatorNameProblem('  Ana Lima ')).toBeNull();
    expect(operatorNameProblem('   ')).toBe('Type your name');
    expect(operatorNameProblem('x'.repeat(65))).toBe('At most 64 characters');
    expect(operatorNameProblem('Ana\u0007')).toBe('No control characters');
  });
});
