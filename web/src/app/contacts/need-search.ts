import { NEED_BOUQUETS, NeedBouquetCode } from '@passerelle/contracts';

export type NeedBouquet = (typeof NEED_BOUQUETS)[number];

/** Lower case, without accents or punctuation: "Hébergement / logement" → "hebergement logement". */
export function normalizeWords(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const INDEX = NEED_BOUQUETS.map((bouquet) => ({
  bouquet,
  labelWords: normalizeWords(bouquet.label),
  keywordWords: normalizeWords(bouquet.keywords),
}));

/**
 * The bouquets matching what the agent typed: every word typed must start a word of the label or of
 * the keywords ("log" → Hébergement / logement, "caf" → Prestations sociales), or be the bouquet's
 * number. Matches on the label come first, then by number. Empty text → all 18.
 */
export function searchNeeds(text: string, exclude: readonly NeedBouquetCode[] = []): NeedBouquet[] {
  const words = normalizeWords(text);
  const candidates = INDEX.filter((entry) => !exclude.includes(entry.bouquet.code));
  if (!words.length) return candidates.map((entry) => entry.bouquet);
  const scored: { bouquet: NeedBouquet; score: number }[] = [];
  for (const entry of candidates) {
    let score = 0;
    let all = true;
    for (const word of words) {
      if (/^\d+$/.test(word) && Number(word) === entry.bouquet.code) score += 3;
      else if (entry.labelWords.some((w) => w.startsWith(word))) score += 2;
      else if (entry.keywordWords.some((w) => w.startsWith(word))) score += 1;
      else all = false;
    }
    if (all) scored.push({ bouquet: entry.bouquet, score });
  }
  return scored.sort((a, b) => b.score - a.score || a.bouquet.code - b.bouquet.code).map((s) => s.bouquet);
}

const LABELS = new Map<number, string>(NEED_BOUQUETS.map((bouquet) => [bouquet.code, bouquet.label]));

export function needLabel(code: NeedBouquetCode | number): string {
  return LABELS.get(code) ?? $localize`Besoin ${code}:code:`;
}
