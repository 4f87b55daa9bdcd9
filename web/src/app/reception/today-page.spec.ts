import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { TodaySummary } from '@passerelle/contracts';
import { press, text, typeIn, wait } from '../../testing/dom';
import { aContact, aHit } from '../../testing/fixtures';
import { TodayPage } from './today-page';

const summary: TodaySummary = {
  date: '2026-11-24',
  total: 3,
  anonymous: 1,
  byChannel: [
    { channel: 'phone', count: 1 },
    { channel: 'in_person', count: 2 },
    { channel: 'email', count: 0 },
  ],
  byNeed: [
    { bouquet: 14, count: 2 },
    { bouquet: 4, count: 1 },
  ],
  contacts: [
    { ...aContact({ id: 'c1', occurredAt: '2026-11-24T08:00:00.000Z' }), personName: "Jean-Pierre N'Diaye" },
    { ...aContact({ id: 'c2', occurredAt: '2026-11-24T10:00:00.000Z', personId: null, channel: 'phone' }), personName: null },
    {
      ...aContact({ id: 'c3', occurredAt: '2026-11-24T09:00:00.000Z', needs: [{ bouquet: 4, subNeed: null, detail: null }] }),
      personName: 'Zoé Lefèvre',
    },
  ],
};

describe('TodayPage', () => {
  let fixture: ComponentFixture<TodayPage>;
  let element: HTMLElement;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(TodayPage);
    element = fixture.nativeElement;
    document.body.appendChild(element);
    await fixture.whenStable();
    http.expectOne('/api/contacts/today').flush(summary);
    await fixture.whenStable();
  });

  afterEach(() => {
    http.verify();
    element.remove();
  });

  const rows = (caption: string) => {
    const table = Array.from(element.querySelectorAll('table')).find((t) => t.caption?.textContent?.trim() === caption);
    return Array.from(table?.querySelectorAll('tbody tr') ?? []).map((row) =>
      Array.from(row.children)
        .map((cell) => cell.textContent?.trim())
        .join(' '),
    );
  };

  it('counts the day by channel and by need, most frequent first', () => {
    expect(text(fixture)).toContain('3 passages, dont 1 sans identification');
    expect(rows('Par canal')).toEqual(['Accueil physique 2', 'Téléphone 1']);
    expect(rows('Par besoin exprimé')).toEqual(['Hébergement / logement 2', 'Formalités administratives 1']);
  });

  it('lists the contacts, latest first, with links to the person files', () => {
    const links = Array.from(element.querySelectorAll('tbody a')).map((a) => [a.textContent?.trim(), a.getAttribute('href')]);
    expect(links).toEqual([
      ['Zoé Lefèvre', '/personnes/person-1'],
      ["Jean-Pierre N'Diaye", '/personnes/person-1'],
    ]);
    const people = Array.from(element.querySelectorAll('tbody th[scope="row"]')).map((th) => th.textContent?.trim());
    expect(people.at(-3)).toContain('Sans identification');
  });

  it('attaches an anonymous contact to the person who came back', async () => {
    element.querySelector<HTMLButtonElement>('tbody button')?.click();
    await fixture.whenStable();
    const field = element.querySelector('#rattacher-c2') as HTMLInputElement;
    expect(document.activeElement).toBe(field);
    typeIn(field, 'ndiaye');
    await wait(200);
    http.expectOne((request) => request.url === '/api/persons/search').flush([aHit()]);
    await fixture.whenStable();
    press(field, 'ArrowDown');
    press(field, 'Enter');
    await fixture.whenStable();
    const attach = http.expectOne({ method: 'PATCH', url: '/api/contacts/c2/person' });
    expect(attach.request.body).toEqual({ personId: 'person-1' });
    attach.flush(aContact({ id: 'c2' }));
    await fixture.whenStable();
    http.expectOne('/api/contacts/today').flush(summary);
    await fixture.whenStable();
    expect(text(fixture)).toContain("Le passage est rattaché au dossier de Jean-Pierre N'Diaye.");
  });
});
