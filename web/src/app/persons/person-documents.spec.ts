import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { PersonDocument } from '@passerelle/contracts';
import { buttonByText, fieldByLabel, text, type } from '../../testing/dom';
import { formatSize, PersonDocuments } from './person-documents';

function aDocument(overrides: Partial<PersonDocument> = {}): PersonDocument {
  return {
    id: 'doc-1',
    personId: 'person-1',
    structureId: 'structure-1',
    structureName: 'CCAS de Gap',
    uploadedBy: 'Marie Curie',
    kind: 'identity',
    category: 'identity_contact',
    title: 'Carte d’identité',
    mediaType: 'application/pdf',
    sizeBytes: 250_000,
    sha256: 'a'.repeat(64),
    createdAt: '2026-11-20T10:00:00.000Z',
    ...overrides,
  };
}

describe('PersonDocuments', () => {
  let fixture: ComponentFixture<PersonDocuments>;
  let element: HTMLElement;
  let http: HttpTestingController;

  async function render(canUpload: boolean, documents: PersonDocument[] = [aDocument()]): Promise<void> {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(PersonDocuments);
    fixture.componentRef.setInput('personId', 'person-1');
    fixture.componentRef.setInput('canUpload', canUpload);
    element = fixture.nativeElement;
    await fixture.whenStable();
    http.expectOne('/api/persons/person-1/documents').flush(documents);
    await fixture.whenStable();
  }

  function chooseFile(file: File): void {
    const input = element.querySelector('#document-fichier') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change'));
  }

  afterEach(() => http.verify());

  it('lists the documents with a download link, their kind, size and category', async () => {
    await render(false);
    const link = element.querySelector('a[download]') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('/api/persons/person-1/documents/doc-1/content');
    expect(text(fixture)).toContain('Pièce d’identité ou titre de séjour');
    expect(text(fixture)).toContain('244,1 Ko');
    expect(text(fixture)).toContain('Catégorie : Identité et coordonnées');
  });

  it('hides the upload form from a structure that does not follow the person', async () => {
    await render(false);
    expect(element.querySelector('form')).toBeNull();
  });

  it('uploads the file with its kind, category (proposed from the kind) and title, then lists it first', async () => {
    await render(true, []);
    chooseFile(new File(['%PDF-1.4'], 'avis.pdf', { type: 'application/pdf' }));
    type(fieldByLabel(element, 'Type de document'), 'resources');
    await fixture.whenStable();
    expect((fieldByLabel(element, 'Catégorie d’informations') as HTMLSelectElement).value).toBe('resources_rights');
    type(fieldByLabel(element, 'Titre'), 'Avis CAF');
    buttonByText(element, 'Ajouter le document').click();
    await fixture.whenStable();
    const req = http.expectOne('/api/persons/person-1/documents');
    expect(req.request.method).toBe('POST');
    const body = req.request.body as FormData;
    expect([body.get('kind'), body.get('category'), body.get('title'), (body.get('file') as File).name]).toEqual([
      'resources',
      'resources_rights',
      'Avis CAF',
      'avis.pdf',
    ]);
    req.flush(aDocument({ id: 'doc-2', title: 'Avis CAF', kind: 'resources', category: 'resources_rights' }));
    await fixture.whenStable();
    expect(text(fixture)).toContain('Document ajouté : Avis CAF.');
    expect(element.querySelectorAll('a[download]')).toHaveLength(1);
  });

  it('refuses a file over 10 MB before sending it, and shows the server’s refusal of a type', async () => {
    await render(true, []);
    const big = new File(['x'], 'gros.pdf', { type: 'application/pdf' });
    Object.defineProperty(big, 'size', { value: 11 * 1024 * 1024 });
    chooseFile(big);
    type(fieldByLabel(element, 'Titre'), 'Gros');
    buttonByText(element, 'Ajouter le document').click();
    await fixture.whenStable();
    http.expectNone('/api/persons/person-1/documents');
    expect(text(fixture)).toContain('Ce fichier dépasse 10 Mo');

    chooseFile(new File(['texte'], 'faux.pdf', { type: 'application/pdf' }));
    buttonByText(element, 'Ajouter le document').click();
    await fixture.whenStable();
    http
      .expectOne('/api/persons/person-1/documents')
      .flush({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Ce fichier n’est ni un PDF, ni une image JPEG, PNG ou WebP.' }, { status: 415, statusText: 'Unsupported' });
    await fixture.whenStable();
    expect(element.querySelector('#document-fichier-erreur')?.textContent).toContain('ni un PDF');
  });

  it('formats sizes in French', () => {
    expect([formatSize(512), formatSize(250_000), formatSize(3_500_000)]).toEqual(['0,5 Ko', '244,1 Ko', '3,3 Mo']);
  });
});
