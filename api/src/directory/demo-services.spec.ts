import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DEMO_SERVICES, demoServiceColumns } from './demo-services';
import { CreateServiceDto } from './dto/service.dto';

describe('demo directory', () => {
  it.each(DEMO_SERVICES.map((s) => [s.name, s] as const))('“%s” is a valid service, stored as the API would store it', async (_, s) => {
    const columns = demoServiceColumns(s);
    const body = Object.fromEntries(Object.entries(columns).filter(([key]) => key !== 'active'));
    const dto = plainToInstance(CreateServiceDto, body);
    expect(await validate(dto, { whitelist: true, forbidNonWhitelisted: true })).toEqual([]);
    // Already in canonical form: the API's transforms would change nothing.
    expect({ ...dto }).toEqual(body);
  });
});
