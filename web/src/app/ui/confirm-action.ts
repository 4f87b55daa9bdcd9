import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';

let nextId = 0;

/**
 * A button whose action is confirmed in place: the button gives way to a question with
 * "confirm" and "Annuler". Focus moves to the confirm button, and back to the button on cancel.
 * Kept inline rather than in a modal dialog: nothing to trap, and it reads in the table row order.
 */
@Component({
  selector: 'pa-confirm-action',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (asking()) {
      <div role="group" [attr.aria-labelledby]="questionId">
        <p class="fr-text--sm fr-mb-1w" [id]="questionId">{{ question() }}</p>
        <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
          <li>
            <button #confirmButton type="button" class="fr-btn" (click)="confirm()">{{ confirmLabel() }}</button>
          </li>
          <li>
            <button type="button" class="fr-btn fr-btn--secondary" (click)="cancel()" i18n>Annuler</button>
          </li>
        </ul>
      </div>
    } @else {
      <button #triggerButton type="button" [class]="buttonClass()" [disabled]="disabled()" (click)="ask()">
        {{ label() }}
        @if (context()) {
          <span class="fr-sr-only"> {{ context() }}</span>
        }
      </button>
    }
  `,
})
export class ConfirmAction {
  private readonly injector = inject(Injector);

  /** Visible text of the button, e.g. "Désactiver". */
  readonly label = input.required<string>();
  /** Hidden complement of the label for screen readers, e.g. the agent's name. */
  readonly context = input('');
  readonly question = input.required<string>();
  readonly confirmLabel = input.required<string>();
  readonly buttonClass = input('fr-btn fr-btn--sm fr-btn--tertiary');
  readonly disabled = input(false);
  readonly confirmed = output<void>();

  protected readonly asking = signal(false);
  protected readonly questionId = `pa-confirm-${nextId++}`;
  private readonly confirmButton = viewChild<ElementRef<HTMLButtonElement>>('confirmButton');
  private readonly triggerButton = viewChild<ElementRef<HTMLButtonElement>>('triggerButton');

  protected ask(): void {
    this.asking.set(true);
    afterNextRender({ write: () => this.confirmButton()?.nativeElement.focus() }, { injector: this.injector });
  }

  protected cancel(): void {
    this.asking.set(false);
    afterNextRender({ write: () => this.triggerButton()?.nativeElement.focus() }, { injector: this.injector });
  }

  protected confirm(): void {
    this.asking.set(false);
    this.confirmed.emit();
    afterNextRender({ write: () => this.triggerButton()?.nativeElement.focus() }, { injector: this.injector });
  }
}
