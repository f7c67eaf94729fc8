/**
 * The built-in upstream: a small solar-system API behind the gateway. `/planets` is the silver resource,
 * `/moons` the gold one. Figures are rounded values from public references (NASA planetary fact sheets);
 * moon counts are the confirmed counts as of 2024. Written for this project.
 */
import Fastify, { type FastifyInstance } from 'fastify';

export interface Planet {
  name: string;
  /** 1 = closest to the Sun */
  order: number;
  kind: 'terrestrial' | 'gas giant' | 'ice giant';
  meanRadiusKm: number;
  /** 10^24 kg */
  mass1e24Kg: number;
  /** semi-major axis, astronomical units */
  distanceFromSunAu: number;
  orbitalPeriodDays: number;
  /** sidereal; negative = retrograde */
  rotationPeriodHours: number;
  moons: number;
}

export interface Moon {
  name: string;
  planet: string;
  meanRadiusKm: number;
  orbitalPeriodDays: number;
  discovered: number;
  discoveredBy: string;
  retrograde?: boolean;
}

export const PLANETS: readonly Planet[] = [
  { name: 'Mercury', order: 1, kind: 'terrestrial', meanRadiusKm: 2439.7, mass1e24Kg: 0.33, distanceFromSunAu: 0.387, orbitalPeriodDays: 88.0, rotationPeriodHours: 1407.6, moons: 0 },
  { name: 'Venus', order: 2, kind: 'terrestrial', meanRadiusKm: 6051.8, mass1e24Kg: 4.87, distanceFromSunAu: 0.723, orbitalPeriodDays: 224.7, rotationPeriodHours: -5832.5, moons: 0 },
  { name: 'Earth', order: 3, kind: 'terrestrial', meanRadiusKm: 6371.0, mass1e24Kg: 5.97, distanceFromSunAu: 1.0, orbitalPeriodDays: 365.2, rotationPeriodHours: 23.9, moons: 1 },
  { name: 'Mars', order: 4, kind: 'terrestrial', meanRadiusKm: 3389.5, mass1e24Kg: 0.642, distanceFromSunAu: 1.524, orbitalPeriodDays: 687.0, rotationPeriodHours: 24.6, moons: 2 },
  { name: 'Jupiter', order: 5, kind: 'gas giant', meanRadiusKm: 69911, mass1e24Kg: 1898, distanceFromSunAu: 5.203, orbitalPeriodDays: 4331, rotationPeriodHours: 9.9, moons: 95 },
  { name: 'Saturn', order: 6, kind: 'gas giant', meanRadiusKm: 58232, mass1e24Kg: 568, distanceFromSunAu: 9.537, orbitalPeriodDays: 10747, rotationPeriodHours: 10.7, moons: 146 },
  { name: 'Uranus', order: 7, kind: 'ice giant', meanRadiusKm: 25362, mass1e24Kg: 86.8, distanceFromSunAu: 19.19, orbitalPeriodDays: 30589, rotationPeriodHours: -17.2, moons: 28 },
  { name: 'Neptune', order: 8, kind: 'ice giant', meanRadiusKm: 24622, mass1e24Kg: 102, distanceFromSunAu: 30.07, orbitalPeriodDays: 59800, rotationPeriodHours: 16.1, moons: 16 },
];

export const MOONS: readonly Moon[] = [
  { name: 'Moon', planet: 'Earth', meanRadiusKm: 1737.4, orbitalPeriodDays: 27.32, discovered: -1, discoveredBy: 'known since prehistory' },
  { name: 'Phobos', planet: 'Mars', meanRadiusKm: 11.27, orbitalPeriodDays: 0.319, discovered: 1877, discoveredBy: 'Asaph Hall' },
  { name: 'Deimos', planet: 'Mars', meanRadiusKm: 6.2, orbitalPeriodDays: 1.263, discovered: 1877, discoveredBy: 'Asaph Hall' },
  { name: 'Io', planet: 'Jupiter', meanRadiusKm: 1821.6, orbitalPeriodDays: 1.769, discovered: 1610, discoveredBy: 'Galileo Galilei' },
  { name: 'Europa', planet: 'Jupiter', meanRadiusKm: 1560.8, orbitalPeriodDays: 3.551, discovered: 1610, discoveredBy: 'Galileo Galilei' },
  { name: 'Ganymede', planet: 'Jupiter', meanRadiusKm: 2634.1, orbitalPeriodDays: 7.155, discovered: 1610, discoveredBy: 'Galileo Galilei' },
  { name: 'Callisto', planet: 'Jupiter', meanRadiusKm: 2410.3, orbitalPeriodDays: 16.689, discovered: 1610, discoveredBy: 'Galileo Galilei' },
  { name: 'Amalthea', planet: 'Jupiter', meanRadiusKm: 83.5, orbitalPeriodDays: 0.498, discovered: 1892, discoveredBy: 'E. E. Barnard' },
  { name: 'Himalia', planet: 'Jupiter', meanRadiusKm: 69.8, orbitalPeriodDays: 250.6, discovered: 1904, discoveredBy: 'Charles Dillon Perrine' },
  { name: 'Mimas', planet: 'Saturn', meanRadiusKm: 198.2, orbitalPeriodDays: 0.942, discovered: 1789, discoveredBy: 'William Herschel' },
  { name: 'Enceladus', planet: 'Saturn', meanRadiusKm: 252.1, orbitalPeriodDays: 1.37, discovered: 1789, discoveredBy: 'William Herschel' },
  { name: 'Tethys', planet: 'Saturn', meanRadiusKm: 531.1, orbitalPeriodDays: 1.888, discovered: 1684, discoveredBy: 'Giovanni Domenico Cassini' },
  { name: 'Dione', planet: 'Saturn', meanRadiusKm: 561.4, orbitalPeriodDays: 2.737, discovered: 1684, discoveredBy: 'Giovanni Domenico Cassini' },
  { name: 'Rhea', planet: 'Saturn', meanRadiusKm: 763.8, orbitalPeriodDays: 4.518, discovered: 1672, discoveredBy: 'Giovanni Domenico Cassini' },
  { name: 'Titan', planet: 'Saturn', meanRadiusKm: 2574.7, orbitalPeriodDays: 15.945, discovered: 1655, discoveredBy: 'Christiaan Huygens' },
  { name: 'Hyperion', planet: 'Saturn', meanRadiusKm: 135, orbitalPeriodDays: 21.28, discovered: 1848, discoveredBy: 'William Bond, George Bond, William Lassell' },
  { name: 'Iapetus', planet: 'Saturn', meanRadiusKm: 734.5, orbitalPeriodDays: 79.32, discovered: 1671, discoveredBy: 'Giovanni Domenico Cassini' },
  { name: 'Phoebe', planet: 'Saturn', meanRadiusKm: 106.5, orbitalPeriodDays: 550.3, discovered: 1899, discoveredBy: 'William Henry Pickering', retrograde: true },
  { name: 'Miranda', planet: 'Uranus', meanRadiusKm: 235.8, orbitalPeriodDays: 1.413, discovered: 1948, discoveredBy: 'Gerard Kuiper' },
  { name: 'Ariel', planet: 'Uranus', meanRadiusKm: 578.9, orbitalPeriodDays: 2.52, discovered: 1851, discoveredBy: 'William Lassell' },
  { name: 'Umbriel', planet: 'Uranus', meanRadiusKm: 584.7, orbitalPeriodDays: 4.144, discovered: 1851, discoveredBy: 'William Lassell' },
  { name: 'Titania', planet: 'Uranus', meanRadiusKm: 788.4, orbitalPeriodDays: 8.706, discovered: 1787, discoveredBy: 'William Herschel' },
  { name: 'Oberon', planet: 'Uranus', meanRadiusKm: 761.4, orbitalPeriodDays: 13.46, discovered: 1787, discoveredBy: 'William Herschel' },
  { name: 'Triton', planet: 'Neptune', meanRadiusKm: 1353.4, orbitalPeriodDays: 5.877, discovered: 1846, discoveredBy: 'William Lassell', retrograde: true },
  { name: 'Nereid', planet: 'Neptune', meanRadiusKm: 170, orbitalPeriodDays: 360.1, discovered: 1949, discoveredBy: 'Gerard Kuiper' },
  { name: 'Proteus', planet: 'Neptune', meanRadiusKm: 210, orbitalPeriodDays: 1.122, discovered: 1989, discoveredBy: 'Voyager 2 team' },
];

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The solar-system API as a fastify app (not listening: the gateway calls it with inject()). */
export function buildSolarSystemApi(): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/planets', () => ({ planets: PLANETS }));
  app.get<{ Params: { name: string } }>('/planets/:name', async (req, reply) => {
    const p = PLANETS.find((x) => same(x.name, req.params.name));
    if (!p) return reply.code(404).send({ error: 'not_found', description: `no planet named ${req.params.name}` });
    return { ...p, moonsListed: MOONS.filter((m) => m.planet === p.name).map((m) => m.name) };
  });
  app.get<{ Querystring: { planet?: string } }>('/moons', (req) => {
    const planet = req.query.planet;
    return { moons: planet ? MOONS.filter((m) => same(m.planet, planet)) : MOONS };
  });
  app.get<{ Params: { name: string } }>('/moons/:name', async (req, reply) => {
    const m = MOONS.find((x) => same(x.name, req.params.name));
    if (!m) return reply.code(404).send({ error: 'not_found', description: `no moon named ${req.params.name}` });
    return m;
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: 'not_found', description: `${req.method} ${req.url.split('?')[0]} is not a resource of the solar-system API (try /planets or /moons)` });
  });
  return app;
}
