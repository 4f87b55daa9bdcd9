// The zoneless test environment first: it loads the Angular compiler that partially compiled
// packages (@angular/common…) need.
import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';
import '@angular/localize/init';
import { registerLocaleData } from '@angular/common';
import localeFr from '@angular/common/locales/fr';

setupZonelessTestEnv({
  errorOnUnknownElements: true,
  errorOnUnknownProperties: true,
});

// Same locale as the production build (i18n.sourceLocale "fr" in project.json).
registerLocaleData(localeFr);
$localize.locale = 'fr';
