import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component, signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { PersonSearchHit } from '@passerelle/contracts';
import { press, typeIn, wait } from '../../testing/dom';
import { aHit } from '../../testing/fixtures';
import { PersonSearch } from './person-search';

@Component({
  imports: [PersonSearch],
  template: `<pa-person-search
    inputId="recherche"
    [offerNewPerson]="true"
    (picked)="picked.set($event)"
    (newPerson)="newPerson.set($event)"
  />`,
})
class Host {
  readonly picked = signal<PersonSearchHit | null>(null);
  readonly newPerson = signal<string | null>(null);
}

describe('PersonSearch', () => {
  let fixture: ComponentFixture<Host>;
  let element: HTMLElement;
  let http: HttpTestingController;
  let field: HTMLInputElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(Host);
    element = fixture.nativeElement;
    await fixture.whenStable();
    field = element.querySelector('input[role="combobox"]') as HTMLInputElement;
  });

  afterEach(() => http.verify());

  const options = () => Array.from(element.querySelectorAll('[role="option"]'));

  async function searchAndAnswer(text: string, hits: PersonSearchHit[]): Promise<void> {
    typeIn(field, text);
    await wait(200);
    http.expectOne((request) => request.url === '/api/persons/search' && request.params.get('q') === text).flush(hits);
    await fixture.whenStable();
  }

  it('is a labelled combobox', () => {
    expect(element.querySelector('label')?.textContent).toContain('Rechercher une personne (nom, téléphone, courriel)');
    expect(field.getAttribute('aria-expanded')).toBe('false');
    expect(field.getAttribute('aria-controls')).toBe('recherche-listbox');
  });

  it('searches once the typing pauses (debounce), not at every keystroke', async () => {
    typeIn(field, 'du');
    await wait(50);
    typeIn(field, 'dup');
    await wait(50);
    typeIn(field, 'dupo');
    http.expectNone('/api/persons/search');
    await wait(200);
    const request = http.expectOne('/api/persons/search?q=dupo&limit=8');
    expect(request.request.method).toBe('GET');
    request.flush([]);
  });

  it('cancels the search in flight when the text changes (switchMap): stale results never show', async () => {
    typeIn(field, 'dupont');
    await wait(200);
    const first = http.expectOne((request) => request.params.get('q') === 'dupont');
    typeIn(field, 'durand');
    await wait(200);
    expect(first.cancelled).toBe(true);
    http.expectOne((request) => request.params.get('q') === 'durand').flush([aHit({ id: 'person-2', usageLastName: 'Durand' })]);
    await fixture.whenStable();
    expect(options()[0].textContent).toContain('Durand');
  });

  it('sends a year typed after the name as the birth filter', async () => {
    typeIn(field, "n'diaye 1984");
    await wait(200);
    const request = http.expectOne((r) => r.url === '/api/persons/search');
    expect(request.request.params.get('q')).toBe("n'diaye");
    expect(request.request.params.get('birth')).toBe('1984');
    request.flush([]);
  });

  it('lists the results with name, neutral birth, commune and last contact, then "Nouvelle personne"', async () => {
    await searchAndAnswer('ndiaye', [aHit(), aHit({ id: 'person-2', firstNames: 'Awa', birthDate: null, birthDatePrecision: null, lastContactAt: null })]);
    expect(field.getAttribute('aria-expanded')).toBe('true');
    const texts = options().map((option) => option.textContent?.replace(/\s+/g, ' ').trim());
    expect(texts[0]).toContain("Jean-Pierre N'Diaye");
    expect(texts[0]).toContain('naissance : 1984');
    expect(texts[0]).toContain('Briançon');
    expect(texts[0]).toContain('dernier passage le 20/11/2026');
    expect(texts[1]).toContain('aucun passage');
    expect(texts[2]).toContain('Nouvelle personne');
    expect(element.querySelector('[role="status"]')?.textContent).toContain('2 personnes trouvées');
  });

  it('moves through the options with the arrows (aria-activedescendant) and picks with Enter', async () => {
    await searchAndAnswer('ndiaye', [aHit(), aHit({ id: 'person-2' })]);
    press(field, 'ArrowDown');
    await fixture.whenStable();
    expect(field.getAttribute('aria-activedescendant')).toBe('recherche-option-0');
    expect(options()[0].getAttribute('aria-selected')).toBe('true');

    press(field, 'ArrowDown');
    press(field, 'ArrowDown');
    await fixture.whenStable();
    expect(field.getAttribute('aria-activedescendant')).toBe('recherche-option-2');
    press(field, 'ArrowDown');
    await fixture.whenStable();
    // Wraps around to the first option.
    expect(field.getAttribute('aria-activedescendant')).toBe('recherche-option-0');
    press(field, 'ArrowUp');
    await fixture.whenStable();
    expect(field.getAttribute('aria-activedescendant')).toBe('recherche-option-2');
    press(field, 'ArrowUp');

    const enter = press(field, 'Enter');
    await fixture.whenStable();
    expect(enter.defaultPrevented).toBe(true);
    expect(fixture.componentInstance.picked()?.id).toBe('person-2');
    expect(field.getAttribute('aria-expanded')).toBe('false');
  });

  it('does not pick anything on Enter without an explicit choice', async () => {
    await searchAndAnswer('ndiaye', [aHit()]);
    press(field, 'Enter');
    await fixture.whenStable();
    expect(fixture.componentInstance.picked()).toBeNull();
  });

  it('"Nouvelle personne" (last option) hands over the text typed', async () => {
    await searchAndAnswer('Martin Lucas', []);
    expect(options()).toHaveLength(1);
    press(field, 'ArrowDown');
    press(field, 'Enter');
    await fixture.whenStable();
    expect(fixture.componentInstance.newPerson()).toBe('Martin Lucas');
  });

  it('clears the field and the results with Escape', async () => {
    await searchAndAnswer('ndiaye', [aHit()]);
    const escape = press(field, 'Escape');
    await fixture.whenStable();
    expect(escape.defaultPrevented).toBe(true);
    expect(field.value).toBe('');
    expect(options()).toHaveLength(0);
    expect(field.getAttribute('aria-expanded')).toBe('false');
  });

  it('picks with a click too', async () => {
    await searchAndAnswer('ndiaye', [aHit()]);
    (options()[0] as HTMLElement).click();
    await fixture.whenStable();
    expect(fixture.componentInstance.picked()?.id).toBe('person-1');
  });
});
