with source as (
    select * from {{ source('mintclassics', 'customers') }}
),

final as (
    select
        customerNumber as customer_number,
        {{ dbt.concat(["'MC-'", dbt.safe_cast('customerNumber', dbt.type_string())]) }} as customer_id,
        {{ clean_text('customerName') }} as customer_name,
        {{ clean_text('contactFirstName') }} as contact_first_name,
        {{ clean_text('contactLastName') }} as contact_last_name,
        {{ clean_text('phone') }} as phone,
        {{ clean_text('city') }} as city,
        {{ clean_text('state') }} as state,
        {{ clean_text('country') }} as country,
        salesRepEmployeeNumber as sales_rep_employee_number,
        creditLimit as credit_limit,
        _loaded_at as loaded_at
    from source
)

select * from final
