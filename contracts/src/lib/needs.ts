/** The 18 "bouquets de services" (ADRETS classification, DOMAIN.md), by code 1–18. */
export const NEED_BOUQUETS = [
  { code: 1, label: 'Information / orientation', keywords: 'renseignement orientation accès aux droits service public' },
  { code: 2, label: 'Sécurité', keywords: 'gendarmerie police pompiers urgence violence danger' },
  { code: 3, label: 'Justice et droit', keywords: 'avocat tribunal médiation conciliateur tutelle curatelle victime litige' },
  { code: 4, label: 'Formalités administratives', keywords: 'papiers carte identité titre de séjour impôts préfecture état civil dossier' },
  { code: 5, label: 'Prestations sociales', keywords: 'CAF RSA allocation prime activité APL retraite CPAM assurance maladie complémentaire santé' },
  { code: 6, label: 'Petite enfance', keywords: 'crèche garde enfant assistante maternelle PMI bébé' },
  { code: 7, label: 'Éducation', keywords: 'école collège lycée cantine périscolaire scolarité' },
  { code: 8, label: 'Santé', keywords: 'médecin hôpital soins psychologue addiction dentiste pharmacie handicap' },
  { code: 9, label: 'Services à domicile', keywords: 'aide ménagère portage repas auxiliaire de vie soins infirmiers domicile' },
  { code: 10, label: 'Aide et accompagnement social', keywords: 'assistante sociale accompagnement aide alimentaire colis secours urgence' },
  { code: 11, label: 'Emploi', keywords: 'travail chômage France Travail insertion CV recherche emploi' },
  { code: 12, label: 'Économie, création d’activité', keywords: 'entreprise auto-entrepreneur URSSAF création activité' },
  { code: 13, label: 'Formation continue professionnelle', keywords: 'formation VAE bilan compétences apprentissage illettrisme' },
  { code: 14, label: 'Hébergement / logement', keywords: 'logement hébergement HLM loyer expulsion 115 foyer sans abri' },
  { code: 15, label: 'Transport', keywords: 'mobilité permis bus transport à la demande voiture' },
  { code: 16, label: 'Culture, sport et loisirs', keywords: 'bibliothèque sport loisirs vacances culture' },
  { code: 17, label: 'Services marchands publics (énergie, eau, poste…)', keywords: 'électricité gaz eau facture énergie poste téléphone' },
  { code: 18, label: 'Services marchands privés (vie quotidienne)', keywords: 'commerce banque assurance internet numérique' },
] as const;
export type NeedBouquetCode = (typeof NEED_BOUQUETS)[number]['code'];
export const NEED_BOUQUET_CODES = NEED_BOUQUETS.map((b) => b.code) as NeedBouquetCode[];
