/**
 * Password rules from the CNIL's recommendation (délibération 2022-100): enough entropy, no forced
 * rotation. Accepted: at least 12 characters using the four classes (lower, upper, digit, symbol);
 * at least 14 characters using three classes; or a passphrase of at least 20 characters.
 * Shared so the web form and the API apply the very same rule.
 */
export function passwordProblems(password: string): string[] {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  const length = [...password].length;
  if (length > 256) return ['Le mot de passe ne doit pas dépasser 256 caractères.'];
  if (length >= 20) return [];
  if (length >= 14 && classes >= 3) return [];
  if (length >= 12 && classes === 4) return [];
  return [
    'Le mot de passe doit comporter au moins 12 caractères avec des minuscules, majuscules, chiffres et caractères spéciaux, ' +
      'ou au moins 14 caractères avec trois de ces types, ou être une phrase de passe d’au moins 20 caractères.',
  ];
}
