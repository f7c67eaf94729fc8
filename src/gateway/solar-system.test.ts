import { describe, expect, it } from 'vitest';
import { buildSolarSystemApi, MOONS, PLANETS } from './solar-system.js';

describe('solar-system API', () => {
  it('serves the eight planets, moons by planet, and JSON 404s', async () => {
    const api = buildSolarSystemApi();
    const planets = (await api.inject('/planets')).json<{ planets: { name: string }[] }>();
    expect(planets.planets.map((p) => p.name)).toEqual(['Mercury', 'Venus', 'Earth', 'Mars', 'Jupiter', 'Saturn', 'Uranus', 'Neptune']);
    const mars = (await api.inject('/moons?planet=mars')).json<{ moons: { name: string }[] }>();
    expect(mars.moons.map((m) => m.name)).toEqual(['Phobos', 'Deimos']);
    expect((await api.inject('/moons/titan')).json()).toMatchObject({ planet: 'Saturn' });
    expect((await api.inject('/planets/earth')).json()).toMatchObject({ moons: 1, moonsListed: ['Moon'] });
    const nf = await api.inject('/stars');
    expect(nf.statusCode).toBe(404);
    expect(nf.json()).toMatchObject({ error: 'not_found' });
    await api.close();
  });

  it('every moon orbits a listed planet, and no planet lists fewer moons than we describe', () => {
    for (const m of MOONS) {
      const p = PLANETS.find((x) => x.name === m.planet);
      expect(p, m.name).toBeDefined();
      expect(MOONS.filter((x) => x.planet === p!.name).length).toBeLessThanOrEqual(p!.moons);
    }
  });
});
