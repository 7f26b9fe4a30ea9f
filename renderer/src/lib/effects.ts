// The background choices offered in pre-join and mid-call, mapped onto the media module's effects.
import type { BackgroundEffect } from './media';

export const EFFECT_CHOICES = [
  { value: 'none', label: 'No effect' },
  { value: 'blur', label: 'Blur background' },
  { value: 'image:office', label: 'Office background' },
  { value: 'image:gradient', label: 'Gradient background' },
] as const;

export type EffectChoice = (typeof EFFECT_CHOICES)[number]['value'];

export function effectValue(effect: BackgroundEffect): string {
  return effect.kind === 'image' ? `image:${effect.image}` : effect.kind;
}

export function effectFrom(value: string): BackgroundEffect {
  if (value === 'blur') return { kind: 'blur' };
  if (value.startsWith('image:')) return { kind: 'image', image: value.slice(6) };
  return { kind: 'none' };
}
