import { Component, signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { CreateContactRequest, PersonRequest, Site } from '@passerelle/contracts';
import { buttonByText, fieldByLabel, press, type, typeIn } from '../../testing/dom';
import { aRequest, aSite } from '../../testing/fixtures';
import { buildContactRequest, ContactForm } from './contact-form';

@Component({
  imports: [ContactForm],
  template: `<pa-contact-form
    [sites]="sites()"
    [defaultChannel]="'phone'"
    [openRequests]="openRequests()"
    (submitted)="submitted.push($event)"
    (cancelled)="cancelled = cancelled + 1"
  />`,
})
class Host {
  readonly sites = signal<Site[]>([aSite(), aSite({ id: 'site-2', name: 'Permanence de Veynes', kind: 'itinerant' })]);
  readonly openRequests = signal<PersonRequest[]>([]);
  submitted: CreateContactRequest[] = [];
  cancelled = 0;
}

describe('ContactForm', () => {
  let fixture: ComponentFixture<Host>;
  let element: HTMLElement;
  let needField: HTMLInputElement;

  beforeEach(async () => {
    fixture = TestBed.createComponent(Host);
    element = fixture.nativeElement;
    await fixture.whenStable();
    needField = element.querySelector('#passage-besoin') as HTMLInputElement;
  });

  async function addNeed(word: string): Promise<void> {
    typeIn(needField, word);
    await fixture.whenStable();
    press(needField, 'Enter');
    await fixture.whenStable();
  }

  const tags = () => Array.from(element.querySelectorAll('.pa-needs .fr-tag')).map((tag) => tag.textContent?.trim());

  it('starts with the defaults: answer "Information donnée", the channel given, the first site', () => {
    expect(fieldByLabel(element, 'Réponse apportée').value).toBe('information');
    expect((fieldByLabel(element, 'Réponse apportée') as HTMLSelectElement).selectedOptions[0].textContent).toContain(
      'Information donnée',
    );
    expect(fieldByLabel(element, 'Canal').value).toBe('phone');
    expect(fieldByLabel(element, "Lieu d'accueil").value).toBe('site-1');
  });

  it('hides the site when the structure has only one', async () => {
    fixture.componentInstance.sites.set([aSite()]);
    await fixture.whenStable();
    expect(element.querySelector('#passage-site')).toBeNull();
  });

  it('filters the needs by keyword and adds the first match with Enter, then the next one', async () => {
    typeIn(needField, 'caf');
    await fixture.whenStable();
    const options = Array.from(element.querySelectorAll('#passage-besoin-listbox [role="option"]'));
    expect(options.map((option) => option.textContent?.trim())).toEqual(['Prestations sociales']);

    const enter = press(needField, 'Enter');
    await fixture.whenStable();
    // Enter added the need and did not submit the form.
    expect(enter.defaultPrevented).toBe(true);
    expect(fixture.componentInstance.submitted).toHaveLength(0);
    expect(tags()).toEqual(['Prestations sociales']);
    expect(needField.value).toBe('');

    await addNeed('logement');
    expect(tags()).toEqual(['Prestations sociales', 'Hébergement / logement']);
  });

  it('adds the highlighted need when the arrows were used', async () => {
    typeIn(needField, 'urgence');
    await fixture.whenStable();
    press(needField, 'ArrowDown');
    press(needField, 'ArrowDown');
    press(needField, 'Enter');
    await fixture.whenStable();
    expect(tags()).toEqual(['Aide et accompagnement social']);
  });

  it('submits with Enter from an empty needs field and builds the request', async () => {
    await addNeed('logement');
    type(fieldByLabel(element, 'Sous-besoin'), 'Recherche de logement social');
    (element.querySelector('#passage-besoin-0-demande') as HTMLInputElement).click();
    type(fieldByLabel(element, 'Durée en minutes'), '15');
    type(fieldByLabel(element, 'Synthèse partagée') as HTMLInputElement, 'Dossier DALO à préparer.');
    type(fieldByLabel(element, 'Note privée') as HTMLInputElement, 'Très inquiet.');
    await fixture.whenStable();

    press(needField, 'Enter');
    await fixture.whenStable();
    const [request] = fixture.componentInstance.submitted;
    expect(request).toEqual({
      clientRequestId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      channel: 'phone',
      siteId: 'site-1',
      durationMinutes: 15,
      needs: [{ bouquet: 14, subNeed: 'Recherche de logement social', detail: null }],
      answer: 'information',
      summary: 'Dossier DALO à préparer.',
      privateNote: 'Très inquiet.',
      openRequestsForNeeds: [0],
    });
  });

  it('sends the same clientRequestId when the same form is submitted again (retry)', async () => {
    await addNeed('papiers');
    buttonByText(element, 'Enregistrer le passage').click();
    await fixture.whenStable();
    buttonByText(element, 'Enregistrer le passage').click();
    await fixture.whenStable();
    const [first, second] = fixture.componentInstance.submitted;
    expect(second.clientRequestId).toBe(first.clientRequestId);
  });

  it('asks for a need before saving, and says so next to the field', async () => {
    press(needField, 'Enter');
    await fixture.whenStable();
    expect(fixture.componentInstance.submitted).toHaveLength(0);
    expect(element.querySelector('#passage-besoin-messages')?.textContent).toContain('Ajoutez au moins un besoin exprimé.');
    expect(needField.getAttribute('aria-describedby')).toContain('passage-besoin-messages');
    expect(needField.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(needField);
  });

  it('keeps Enter as a new line in text areas; Ctrl+Enter submits', async () => {
    await addNeed('emploi');
    const summary = fieldByLabel(element, 'Synthèse partagée') as unknown as HTMLTextAreaElement;
    expect(press(summary, 'Enter').defaultPrevented).toBe(false);
    await fixture.whenStable();
    expect(fixture.componentInstance.submitted).toHaveLength(0);
    press(summary, 'Enter', { ctrlKey: true });
    await fixture.whenStable();
    expect(fixture.componentInstance.submitted).toHaveLength(1);
  });

  it('submits with Enter from a select too', async () => {
    await addNeed('emploi');
    press(fieldByLabel(element, 'Canal'), 'Enter');
    await fixture.whenStable();
    expect(fixture.componentInstance.submitted).toHaveLength(1);
  });

  it('cancels with Escape, but a first Escape in the needs field only empties it', async () => {
    typeIn(needField, 'log');
    await fixture.whenStable();
    press(needField, 'Escape');
    await fixture.whenStable();
    expect(needField.value).toBe('');
    expect(fixture.componentInstance.cancelled).toBe(0);
    press(needField, 'Escape');
    expect(fixture.componentInstance.cancelled).toBe(1);
  });

  it('lets the contact touch open requests of the person', async () => {
    fixture.componentInstance.openRequests.set([aRequest()]);
    await fixture.whenStable();
    await addNeed('logement');
    (element.querySelector('#passage-demande-request-1') as HTMLInputElement).click();
    press(needField, 'Enter');
    await fixture.whenStable();
    expect(fixture.componentInstance.submitted[0].requestIds).toEqual(['request-1']);
  });
});

describe('buildContactRequest', () => {
  it('turns blanks into null and leaves out empty lists', () => {
    expect(
      buildContactRequest(
        {
          needs: [{ bouquet: 1, subNeed: '  ', detail: '', openRequest: false }],
          answer: 'information',
          channel: 'in_person',
          siteId: '',
          duration: ' ',
          summary: '',
          privateNote: ' ',
          requestIds: [],
        },
        'id-1',
      ),
    ).toEqual({
      clientRequestId: 'id-1',
      channel: 'in_person',
      siteId: null,
      durationMinutes: null,
      needs: [{ bouquet: 1, subNeed: null, detail: null }],
      answer: 'information',
      summary: null,
      privateNote: null,
    });
  });
});
