import { passwordProblems } from './password-policy';

describe('passwordProblems (CNIL rules)', () => {
  it.each([
    ['Abcdef-12345', true], // 12 chars, 4 classes
    ['Abcdefgh12345', false], // 13 chars, 3 classes
    ['Abcdefgh123456', true], // 14 chars, 3 classes
    ['abcdefghijklmnopqrst', true], // 20-character passphrase
    ['Ab1!', false],
    ['', false],
  ])('%s accepted: %s', (password, accepted) => {
    expect(passwordProblems(password).length === 0).toBe(accepted);
  });
});
