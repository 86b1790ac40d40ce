import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/** `lines.0.quantity` → `lines[0].quantity`: the field as a client would write it. */
function flatten(errors: ValidationError[], parent = ''): Array<{ field: string; problems: string[] }> {
  return errors.flatMap((e) => {
    const field = /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Body/query validation: unknown fields refused, every problem listed, the first field named in `details.field`. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const first = fields[0] ?? { field: 'body', problems: ['invalid'] };
      return new BadRequestException({
        code: 'VALIDATION_FAILED',
        message: `${first.field}: ${first.problems.join('; ')}`,
        details: { field: first.field, errors: fields },
      });
    },
  });
}
