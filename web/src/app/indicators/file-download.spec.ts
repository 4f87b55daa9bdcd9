import { HttpErrorResponse } from '@angular/common/http';
import { apiErrorOfBlobRequest, filenameFromContentDisposition, saveBlob } from './file-download';

describe('file download', () => {
  it('reads the file name of a Content-Disposition header', () => {
    expect(filenameFromContentDisposition('attachment; filename="indicateurs-accueil.csv"')).toBe('indicateurs-accueil.csv');
    expect(filenameFromContentDisposition("attachment; filename=\"indicateurs.xlsx\"; filename*=UTF-8''indicateurs-%C3%A9t%C3%A9.xlsx")).toBe(
      'indicateurs-été.xlsx',
    );
    expect(filenameFromContentDisposition('attachment; filename=plain.csv')).toBe('plain.csv');
    expect(filenameFromContentDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(filenameFromContentDisposition('attachment')).toBeNull();
    expect(filenameFromContentDisposition(null)).toBeNull();
  });

  it('saves a blob through an object URL and a temporary link', () => {
    jest.useFakeTimers();
    const createObjectURL = jest.fn(() => 'blob:fichier');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe('a.csv');
      expect(this.getAttribute('href')).toBe('blob:fichier');
      expect(this.isConnected).toBe(true);
    });
    const blob = new Blob(['x']);
    saveBlob(document, blob, 'a.csv');
    expect(createObjectURL).toHaveBeenCalledWith(blob);
    expect(click).toHaveBeenCalledTimes(1);
    expect(document.querySelector('a[download]')).toBeNull();
    jest.runAllTimers();
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:fichier');
    click.mockRestore();
    jest.useRealTimers();
  });

  it("reads the API's error from a blob body", async () => {
    const body = new Blob([JSON.stringify({ code: 'VALIDATION_FAILED', message: 'La période couvre au plus 5 ans.' })], { type: 'application/json' });
    const error = await apiErrorOfBlobRequest(new HttpErrorResponse({ status: 400, error: body }));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message: 'La période couvre au plus 5 ans.' });
    const unreadable = await apiErrorOfBlobRequest(new HttpErrorResponse({ status: 500, error: new Blob(['<html>']) }));
    expect(unreadable.code).toBe('INTERNAL_ERROR');
  });
});
