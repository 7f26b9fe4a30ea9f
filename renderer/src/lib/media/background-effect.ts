// What a background effect is, which ones Parley offers (with the words people see), and the one
// remembered choice, kept between calls with Parley's other choices (lib/storage.ts). The camera
// processing itself is background-processor.ts.
import { z } from 'zod';
import { KEYS, load, save } from '../storage';

/** Images shipped with the app under renderer/public/media/backgrounds/. */
export const BACKGROUND_IMAGES = Object.freeze({
  office: 'media/backgrounds/office.png',
  gradient: 'media/backgrounds/gradient.png',
} as const);

export const DEFAULT_BLUR_RADIUS = 12;

/**
 * A stored choice from an older version, or one edited by hand, that no longer parses is treated
 * as no effect; only shipped images are accepted, so a stored value never makes the app fetch.
 */
export const BackgroundEffectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('blur'), radius: z.number().positive().max(50).optional().catch(undefined) }),
  z.object({ kind: z.literal('image'), image: z.string().refine((id) => Object.hasOwn(BACKGROUND_IMAGES, id)) }),
]);
export type BackgroundEffect = z.infer<typeof BackgroundEffectSchema>;

const NO_EFFECT: BackgroundEffect = Object.freeze({ kind: 'none' });

/** The choices offered in pre-join and mid-call, as one select value each. */
export const BACKGROUND_CHOICES = [
  { value: 'none', label: 'No effect' },
  { value: 'blur', label: 'Blur background' },
  { value: 'image:office', label: 'Office background' },
  { value: 'image:gradient', label: 'Gradient background' },
] as const;

export function choiceValue(effect: BackgroundEffect): string {
  return effect.kind === 'image' ? `image:${effect.image}` : effect.kind;
}

export function effectFromChoice(value: string): BackgroundEffect {
  if (value === 'blur') return { kind: 'blur' };
  if (value.startsWith('image:')) return { kind: 'image', image: value.slice(6) };
  return NO_EFFECT;
}

/** Off until someone picks one. */
export function rememberedBackgroundEffect(): BackgroundEffect {
  return load(KEYS.backgroundEffect, BackgroundEffectSchema, NO_EFFECT);
}

export function rememberBackgroundEffect(effect: BackgroundEffect): void {
  save(KEYS.backgroundEffect, effect);
}
